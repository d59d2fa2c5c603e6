package io.moescope.platform.runs;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The runs moescope knows, newest first unless asked otherwise; paged, so it stays fast with thousands. */
@Service
@Transactional(readOnly = true)
public class RunCatalog {

    public static final Sort NEWEST_FIRST = Sort.by(Sort.Direction.DESC, "startedAt");

    private final RunOverviewRepository runs;

    RunCatalog(RunOverviewRepository runs) {
        this.runs = runs;
    }

    public Page<RunSummary> page(Pageable pageable) {
        return page(RunFilter.ALL, pageable);
    }

    /** One page of the runs the filter keeps; the database filters, sorts and limits. */
    public Page<RunSummary> page(RunFilter filter, Pageable pageable) {
        for (Sort.Order order : pageable.getSort()) {
            if (!RunSummary.SORTABLE.contains(order.getProperty())) {
                throw new IllegalArgumentException("cannot sort runs by '" + order.getProperty()
                        + "'; sortable: " + RunSummary.SORTABLE);
            }
        }
        Pageable sorted = pageable.getSort().isSorted() ? pageable
                : PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), NEWEST_FIRST);
        return runs.findAll(RunSpecifications.of(filter), sorted).map(RunOverview::toSummary);
    }

    public List<RunSummary> newest(int limit) {
        return page(PageRequest.of(0, limit)).getContent();
    }

    public long count() {
        return runs.count();
    }

    public long count(RunFilter filter) {
        return filter.keepsAll() ? runs.count() : runs.count(RunSpecifications.of(filter));
    }

    public Optional<RunSummary> find(String runId) {
        return runs.findById(runId).map(RunOverview::toSummary);
    }
}
