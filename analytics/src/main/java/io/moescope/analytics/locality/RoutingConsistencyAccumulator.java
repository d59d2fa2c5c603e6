package io.moescope.analytics.locality;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts {@link RoutingConsistency} incrementally. Only the previous token's top-k per (run, request, layer) is
 * kept, so memory grows with the requests in flight x layers x k, not with tokens; {@link #endRequest} frees a
 * finished request. Tokens of different requests may interleave. A pair counts only when the token indices are
 * consecutive (t, t+1): after a gap (a lost event) the next pair starts afresh, since tokens further apart are not
 * what Table 5 measures. Phases are not separated: filter tokens before adding them to look at decode only.
 * Not thread-safe.
 */
public final class RoutingConsistencyAccumulator {

    private record RequestLayer(String runId, String requestId, int layer) {
    }

    private record Previous(int tokenIndex, int[] expertIds) {
    }

    private final int numExperts;
    private final Map<RequestLayer, Previous> previous = new HashMap<>();
    /** per layer: k, pairs, same first choice, intersecting. */
    private final Map<Integer, long[]> countsByLayer = new TreeMap<>();

    public RoutingConsistencyAccumulator(int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public RoutingConsistencyAccumulator copy() {
        var copy = new RoutingConsistencyAccumulator(numExperts);
        copy.previous.putAll(previous); // a Previous is never changed once stored
        countsByLayer.forEach((layer, counts) -> copy.countsByLayer.put(layer, counts.clone()));
        return copy;
    }

    public void add(TokenRouting token) {
        for (RouterDecision decision : token.decisions()) {
            add(token.runId(), token.requestId(), token.tokenIndex(), decision);
        }
    }

    /**
     * @throws IllegalArgumentException when the layer's top-k changes, or k exceeds N
     */
    public void add(String runId, String requestId, int tokenIndex, RouterDecision decision) {
        int[] ids = decision.expertIds();
        long[] counts = countsByLayer.computeIfAbsent(decision.layer(), layer -> new long[] {ids.length, 0, 0, 0});
        if (counts[0] != ids.length) {
            throw new IllegalArgumentException("layer " + decision.layer() + ": top-" + ids.length
                    + " after top-" + counts[0]);
        }
        if (ids.length > numExperts) {
            throw new IllegalArgumentException("layer " + decision.layer() + ": top-" + ids.length + " of "
                    + numExperts + " experts");
        }
        var key = new RequestLayer(runId, requestId, decision.layer());
        Previous before = previous.put(key, new Previous(tokenIndex, ids.clone()));
        if (before == null || tokenIndex != before.tokenIndex() + 1) {
            return;
        }
        counts[1]++;
        if (before.expertIds()[0] == ids[0]) {
            counts[2]++;
        }
        if (intersect(before.expertIds(), ids)) {
            counts[3]++;
        }
    }

    /** Forgets a finished request's previous tokens. */
    public void endRequest(String runId, String requestId) {
        previous.keySet().removeIf(key -> key.runId().equals(runId) && key.requestId().equals(requestId));
    }

    /** One result per layer that has at least one consecutive pair, in layer order. */
    public List<RoutingConsistency> results() {
        var results = new ArrayList<RoutingConsistency>();
        countsByLayer.forEach((layer, c) -> {
            if (c[1] > 0) {
                results.add(new RoutingConsistency(layer, numExperts, (int) c[0], c[1], c[2], c[3]));
            }
        });
        return results;
    }

    // k is small (2..8): a nested loop beats building a set.
    private static boolean intersect(int[] a, int[] b) {
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }
}
