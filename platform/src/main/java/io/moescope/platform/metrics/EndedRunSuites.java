package io.moescope.platform.metrics;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.storage.suites.StoredSuites;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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

    private final StoredSuites stored;
    private final MetricSuiteService suites;
    /** Runs whose computation failed over the data they hold: tried again once their data changes. */
    private final Set<StoredSuites.Due> failed = new HashSet<>();

    EndedRunSuites(StoredSuites stored, MetricSuiteService suites) {
        this.stored = stored;
        this.suites = suites;
    }

    /** @return how many runs got their suite stored */
    int storeDue() {
        int done = 0;
        for (StoredSuites.Due due : stored.due(SuiteCodec.FORMAT)) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (!failed.contains(due) && store(due)) {
                done++;
            }
        }
        return done;
    }

    private boolean store(StoredSuites.Due due) {
        long start = System.nanoTime();
        try {
            suites.suite(TokenSet.wholeRun(due.runId(), Optional.empty()), SuiteOptions.defaults());
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
