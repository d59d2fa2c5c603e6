package io.moescope.app.metrics;

import java.util.List;

/**
 * Two runs compared layer by layer ({@code GET /api/compare}).
 *
 * @param a              first run
 * @param b              second run
 * @param tokenSet       which tokens of each run the figures cover
 * @param tokensCompared tokens present in both runs with the same request, index and token id (router saturation
 *                       is computed over these; 0 when the runs did not see the same prompts)
 * @param layers         per layer present in both runs
 */
public record RunComparison(String a, String b, String tokenSet, long tokensCompared, List<Layer> layers) {

    /**
     * @param layer       decoder layer index
     * @param jsdNats     Jensen-Shannon divergence of the two load distributions, natural log (at most ln 2)
     * @param jsdBits     the same in bits (at most 1)
     * @param topKOverlap router saturation (OLMoE): mean over the shared tokens of |topk_a ∩ topk_b| / k
     */
    public record Layer(int layer, Defined<Double> jsdNats, Defined<Double> jsdBits, Defined<Double> topKOverlap) {
    }
}
