package io.moescope.traces;

import io.moescope.events.ExpertCacheStep;
import io.moescope.events.ExpertCounts;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunWorkload;
import io.moescope.events.TokenRouting;

/**
 * Where a probe run's events go (Kafka, a file, a test's list). The runner calls {@code runStarted}, then
 * {@code token} for every routed token in order, then {@code workload} (what the run was asked to do), then
 * {@code runFinished} (status FINISHED, or FAILED when the run
 * broke off). The caller that created the sink closes it; {@link #close()} reports failures the sink saw.
 */
public interface RoutingSink extends AutoCloseable {

    void runStarted(RunLifecycle run);

    void token(TokenRouting token);

    void runFinished(RunLifecycle run);

    /** Expert cache accesses of one forward step; only with expert offloading on. Ignored by default. */
    default void expertCache(ExpertCacheStep step) {
    }

    /**
     * A step of an aggregate-only run (a source that counts choices without recording tokens), in place of its
     * tokens. Refused by default: a sink that cannot carry counts would lose the run's data.
     */
    default void expertCounts(ExpertCounts step) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not carry expert counts");
    }

    /** The run's prompts and generation parameters, sent once before {@code runFinished}. Ignored by default. */
    default void workload(RunWorkload workload) {
    }

    @Override
    void close();

    /** A sink that keeps no event: for measuring what producing the events costs without sending them. */
    static RoutingSink discarding() {
        return new RoutingSink() {
            @Override
            public void runStarted(RunLifecycle run) {
            }

            @Override
            public void token(TokenRouting token) {
            }

            @Override
            public void runFinished(RunLifecycle run) {
            }

            @Override
            public void close() {
            }
        };
    }
}
