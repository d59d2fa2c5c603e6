package io.moescope.platform.metrics;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.storage.suites.StoredSuites;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the default suite of every ended run whose stored one is missing or stale, one run after the other, so
 * that the first request for it (the API's, the run view's) is answered from the store. Called on one background
 * thread ({@link StoredSuitesConfiguration}): a computation never holds a request thread, and at most one runs at a
 * time. The computation is the request path's ({@link MetricSuiteService#suite}), which stores what it computes for
 * an ended run.
 */
class EndedRunSuites {

    private static final Logger log = LoggerFactory.getLogger(EndedRunSuites.class);

    private final Supplier<List<StoredSuites.Due>> dueRuns;
    private final Consumer<String> computeAndStore;
    /**
     * Runs whose computation failed over the data they hold: tried again once their data changes. Only runs still
     * due are kept, so the set holds at most the failing runs of one check.
     */
    private final Set<StoredSuites.Due> failed = new HashSet<>();

    EndedRunSuites(StoredSuites stored, MetricSuiteService suites) {
        this(() -> stored.due(SuiteCodec.FORMAT),
                runId -> suites.suite(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults()));
    }

    /**
     * @param dueRuns         the ended runs whose stored suite is missing or stale
     * @param computeAndStore computes a run's default suite, which stores it
     */
    EndedRunSuites(Supplier<List<StoredSuites.Due>> dueRuns, Consumer<String> computeAndStore) {
        this.dueRuns = dueRuns;
        this.computeAndStore = computeAndStore;
    }

    /** @return how many runs got their suite stored */
    int storeDue() {
        List<StoredSuites.Due> due = dueRuns.get();
        failed.retainAll(due);
        int done = 0;
        for (StoredSuites.Due run : due) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (!failed.contains(run) && store(run)) {
                done++;
            }
        }
        return done;
    }

    /** @return how many runs are held back as failed over the data they hold now */
    int failedRuns() {
        return failed.size();
    }

    private boolean store(StoredSuites.Due due) {
        long start = System.nanoTime();
        try {
            computeAndStore.accept(due.runId());
            log.info("computed the metric suite of ended run {} ({} decisions) for the store in {} ms", due.runId(),
                    due.data().decisions(), (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            // a run whose data cannot be computed over must not stop the others; its requests compute and fail alike
            log.warn("could not compute the metric suite of ended run {} ({} decisions): {}", due.runId(),
                    due.data().decisions(), e.toString());
            failed.add(due);
            return false;
        }
    }
}
