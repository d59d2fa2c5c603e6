package io.moescope.platform.warmup;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The warm-up simulation of every layer in one pass over a run's tokens (ordered by request and token index): each
 * request's per-layer top-k sequence goes to that layer's {@link WarmupAccumulator} when the request ends. Memory:
 * one request's sequences and the accumulators. Not thread-safe.
 */
final class SimulatedWarmups implements Consumer<TokenRouting> {

    private final WarmupAccumulator.Settings settings;
    private final Map<Integer, WarmupAccumulator> byLayer = new TreeMap<>();
    private final Map<Integer, List<int[]>> request = new TreeMap<>();
    private String requestId;

    SimulatedWarmups(WarmupAccumulator.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void accept(TokenRouting token) {
        if (!Objects.equals(requestId, token.requestId())) {
            endRequest();
            requestId = token.requestId();
        }
        for (RouterDecision decision : token.decisions()) {
            request.computeIfAbsent(decision.layer(), l -> new ArrayList<>()).add(decision.expertIds());
        }
    }

    /** Call once after the last token. */
    void finish() {
        endRequest();
    }

    Defined<WarmupSummary> of(int layer) {
        WarmupAccumulator accumulator = byLayer.get(layer);
        return accumulator == null ? Defined.undefined("no token of the run was routed at layer " + layer)
                : Defined.compute(accumulator::result);
    }

    private void endRequest() {
        request.forEach((layer, sequence) ->
                byLayer.computeIfAbsent(layer, l -> new WarmupAccumulator(settings)).addRequest(sequence));
        request.clear();
    }
}
