package io.moescope.traces;

import io.moescope.events.ExpertCacheStep;
import io.moescope.events.ExpertCounts;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunWorkload;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event in order; a real in-memory sink, not a mock. Shared by the probe's tests of every feature. */
public class RecordingSink implements RoutingSink {

    public final List<Object> events = new ArrayList<>();
    public final List<TokenRouting> tokens = new ArrayList<>();
    public final List<RunLifecycle> runs = new ArrayList<>();
    public final List<ExpertCacheStep> cacheSteps = new ArrayList<>();
    public final List<RunWorkload> workloads = new ArrayList<>();
    public final List<ExpertCounts> countSteps = new ArrayList<>();
    private boolean closed;

    @Override
    public void runStarted(RunLifecycle run) {
        events.add(run);
        runs.add(run);
    }

    @Override
    public void token(TokenRouting token) {
        events.add(token);
        tokens.add(token);
    }

    @Override
    public void runFinished(RunLifecycle run) {
        events.add(run);
        runs.add(run);
    }

    @Override
    public void expertCache(ExpertCacheStep step) {
        events.add(step);
        cacheSteps.add(step);
    }

    @Override
    public void expertCounts(ExpertCounts step) {
        events.add(step);
        countSteps.add(step);
    }

    @Override
    public void workload(RunWorkload workload) {
        events.add(workload);
        workloads.add(workload);
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }
}
