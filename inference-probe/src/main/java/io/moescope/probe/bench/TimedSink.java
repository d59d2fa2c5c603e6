package io.moescope.probe.bench;

import io.moescope.events.ExpertCacheStep;
import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.RoutingSink;

/**
 * Measures the time the generation thread spends inside {@link RoutingSink#token} (encoding and queueing): the part
 * of capture that decoding waits for, measured directly, so it can be read even on a machine too busy for an
 * off/on throughput comparison to be stable.
 */
final class TimedSink implements RoutingSink {

    private final RoutingSink delegate;
    private long nanos;
    private long tokens;

    TimedSink(RoutingSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void runStarted(RunLifecycle run) {
        delegate.runStarted(run);
    }

    @Override
    public void token(TokenRouting token) {
        long start = System.nanoTime();
        delegate.token(token);
        nanos += System.nanoTime() - start;
        tokens++;
    }

    @Override
    public void expertCache(ExpertCacheStep step) {
        delegate.expertCache(step);
    }

    @Override
    public void runFinished(RunLifecycle run) {
        delegate.runFinished(run);
    }

    @Override
    public void close() {
        delegate.close();
    }

    long nanos() {
        return nanos;
    }

    long tokens() {
        return tokens;
    }
}
