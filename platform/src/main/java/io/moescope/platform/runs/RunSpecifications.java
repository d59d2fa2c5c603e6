package io.moescope.platform.runs;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.jpa.domain.Specification;

/** A {@link RunFilter} as a WHERE clause, so filtering happens in the database, page by page. */
final class RunSpecifications {

    private static final char ESCAPE = '\\';

    private RunSpecifications() {
    }

    static Specification<RunOverview> of(RunFilter filter) {
        return (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (!filter.text().isEmpty()) {
                where.add(matchesText(root, cb, filter.text()));
            }
            if (filter.status() != RunStatusFilter.ANY) {
                where.add(hasStatus(root, cb, filter.status()));
            }
            if (filter.health() != RunHealthFilter.ANY) {
                where.add(hasHealth(root, cb, filter.health()));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
    }

    private static Predicate matchesText(Root<RunOverview> run, CriteriaBuilder cb, String text) {
        // The user's text is literal: % and _ must not act as wildcards.
        String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return cb.or(contains(cb, run.get("name"), pattern), contains(cb, run.get("runId"), pattern),
                contains(cb, run.get("modelName"), pattern), contains(cb, run.get("architecture"), pattern));
    }

    private static Predicate contains(CriteriaBuilder cb, Expression<String> column, String pattern) {
        return cb.like(cb.lower(column), pattern, ESCAPE);
    }

    private static Predicate hasStatus(Root<RunOverview> run, CriteriaBuilder cb, RunStatusFilter status) {
        Predicate arriving = cb.or(cb.equal(run.get("status"), "STARTED"),
                cb.lessThan(run.<Long>get("tokens"), run.<Long>get("tokensReported")));
        return switch (status) {
            case RUNNING -> arriving;
            case FINISHED -> cb.and(cb.not(arriving), cb.equal(run.get("status"), "FINISHED"));
            case FAILED -> cb.and(cb.not(arriving), cb.equal(run.get("status"), "FAILED"));
            case ABANDONED -> cb.and(cb.not(arriving), cb.equal(run.get("status"), "ABANDONED"));
            case ANY -> cb.conjunction();
        };
    }

    /** Through the SQL function {@code run_health} (V42): one definition of health, evaluated by the database. */
    private static Predicate hasHealth(Root<RunOverview> run, CriteriaBuilder cb, RunHealthFilter health) {
        return cb.equal(cb.function("run_health", String.class, run.get("runId")), health.name());
    }
}
