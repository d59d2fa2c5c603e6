package io.moescope.analytics.coactivation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Router saturation / top-k overlap between two runs over the same tokens (OLMoE, Muennighoff et al. 2024,
 * arXiv:2409.02060, and allenai/OLMoE scripts/run_moe_analysis.py): per layer, the mean over tokens of
 * {@code |topk_a(t) ∩ topk_b(t)| / k}. The paper compares checkpoints; here any two model variants (bf16 vs int4).
 * Incremental: two counters per layer. Not thread-safe.
 */
public final class RouterSaturation {

    /**
     * @param layer   decoder layer index
     * @param tokens  token pairs compared (&gt;= 1)
     * @param overlap mean |A ∩ B| / k, in [0, 1]
     */
    public record LayerOverlap(int layer, long tokens, double overlap) {
    }

    /** per layer: tokens, sum of |A ∩ B| / k. */
    private final Map<Integer, double[]> sums = new TreeMap<>();

    /**
     * Adds the same token as routed in run a and in run b.
     *
     * @return per layer both routed it at, {experts both chose, k}: what the overlap's intervals resample by request
     * @throws IllegalArgumentException when the two are not the same token position and id
     */
    public Map<Integer, long[]> add(TokenRouting a, TokenRouting b) {
        if (a.tokenIndex() != b.tokenIndex() || a.tokenId() != b.tokenId()) {
            throw new IllegalArgumentException("not the same token: index " + a.tokenIndex() + " id " + a.tokenId()
                    + " vs index " + b.tokenIndex() + " id " + b.tokenId());
        }
        Map<Integer, RouterDecision> byLayer = new TreeMap<>();
        b.decisions().forEach(d -> byLayer.put(d.layer(), d));
        Map<Integer, long[]> sharedByLayer = new TreeMap<>();
        for (RouterDecision decision : a.decisions()) {
            RouterDecision other = byLayer.get(decision.layer());
            if (other != null) {
                sharedByLayer.put(decision.layer(), new long[] {add(decision, other), decision.topK()});
            }
        }
        return sharedByLayer;
    }

    /**
     * @return the experts both decisions chose
     * @throws IllegalArgumentException when the layers or k differ
     */
    public int add(RouterDecision a, RouterDecision b) {
        int common = shared(a, b);
        double[] s = sums.computeIfAbsent(a.layer(), l -> new double[2]);
        s[0]++;
        s[1] += (double) common / a.topK();
        return common;
    }

    /**
     * |topk_a ∩ topk_b|: the experts both decisions chose.
     *
     * @throws IllegalArgumentException when the layers or k differ
     */
    public static int shared(RouterDecision a, RouterDecision b) {
        if (a.layer() != b.layer() || a.topK() != b.topK()) {
            throw new IllegalArgumentException("cannot compare layer " + a.layer() + " top-" + a.topK()
                    + " with layer " + b.layer() + " top-" + b.topK());
        }
        int common = 0;
        for (int x : a.expertIds()) {
            for (int y : b.expertIds()) {
                if (x == y) {
                    common++;
                    break;
                }
            }
        }
        return common;
    }

    /** One overlap per layer compared, in layer order; empty before the first pair. */
    public List<LayerOverlap> results() {
        var results = new ArrayList<LayerOverlap>();
        sums.forEach((layer, s) -> results.add(new LayerOverlap(layer, (long) s[0], s[1] / s[0])));
        return results;
    }
}
