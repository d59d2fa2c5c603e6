package io.moescope.platform.api;

import io.moescope.platform.runs.RunFilter;
import io.moescope.platform.runs.RunHealthFilter;
import io.moescope.platform.runs.RunStatusFilter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * The query string of {@code GET /api/runs}, checked: the same filters as the Runs view, a page and a sort.
 * Bad values fail with {@link IllegalArgumentException} naming the parameter (400 through {@link ApiErrors}).
 */
record RunListQuery(RunFilter filter, PageRequest page) {

    static final int MAX_PAGE_SIZE = 1000;

    /**
     * @param sort {@code property} or {@code property,asc|desc} (a property of {@code RunSummary.SORTABLE});
     *             absent: newest first
     */
    static RunListQuery parse(String text, Optional<String> status, Optional<String> health, int page, int size,
                              Optional<String> sort) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_PAGE_SIZE + " but was " + size);
        }
        // The database's row offset, page x size, is an int.
        int lastPage = Integer.MAX_VALUE / size - 1;
        if (page < 0 || page > lastPage) {
            throw new IllegalArgumentException("page must be between 0 and " + lastPage + " (page x size below 2^31)"
                    + " but was " + page);
        }
        RunFilter filter = new RunFilter(text, status.map(s -> choice(RunStatusFilter.class, "status", s)).orElse(null),
                health.map(h -> choice(RunHealthFilter.class, "health", h)).orElse(null));
        return new RunListQuery(filter, PageRequest.of(page, size, sort.map(RunListQuery::sort).orElse(Sort.unsorted())));
    }

    private static Sort sort(String sort) {
        String[] parts = sort.split(",", -1);
        if (parts.length > 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException("sort must be 'property' or 'property,asc|desc', not '" + sort + "'");
        }
        Sort.Direction direction = parts.length == 1 ? Sort.Direction.ASC
                : Sort.Direction.fromOptionalString(parts[1].strip()).orElseThrow(() -> new IllegalArgumentException(
                        "sort direction must be asc or desc, not '" + parts[1] + "'"));
        // Unknown properties are refused by RunCatalog, with the list of sortable ones.
        return Sort.by(direction, parts[0].strip());
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String parameter, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parameter + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + value + "'");
        }
    }
}
