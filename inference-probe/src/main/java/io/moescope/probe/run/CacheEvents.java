package io.moescope.probe.run;

import io.moescope.events.ExpertCacheStep;
import io.moescope.probe.model.ExpertAccess;
import io.moescope.traces.RoutingSink;
import java.util.ArrayList;
import java.util.List;

/** Collects a step's expert cache accesses and sends them as one {@link ExpertCacheStep} when the step is done. */
final class CacheEvents implements RequestGenerator.StepObserver {

    private final String runId;
    private final ProbeRequest request;
    private final RoutingSink sink;
    private final List<ExpertCacheStep.Access> pending = new ArrayList<>();

    CacheEvents(String runId, ProbeRequest request, RoutingSink sink) {
        this.runId = runId;
        this.request = request;
        this.sink = sink;
    }

    void access(ExpertAccess a) {
        pending.add(new ExpertCacheStep.Access(a.layer(), a.expert(), a.hit(), a.bytesRead(), a.loadNanos(),
                a.evicted()));
    }

    @Override
    public void stepDone(String requestId, int firstTokenIndex, int tokens, long timestampMicros, long nanos) {
        if (pending.isEmpty()) {
            return;
        }
        sink.expertCache(new ExpertCacheStep(runId, requestId, firstTokenIndex, tokens, timestampMicros,
                request.expertCache(), request.cachePolicy().name(), pending));
        pending.clear();
    }
}
