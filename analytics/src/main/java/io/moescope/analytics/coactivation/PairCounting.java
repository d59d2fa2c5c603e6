package io.moescope.analytics.coactivation;

/**
 * Which pairs of a token's top-k count as co-activated (docs/metrics.md, "Co-activation"; OLMoE,
 * Muennighoff et al. 2024, arXiv:2409.02060).
 */
public enum PairCounting {
    /** Every ordered pair (a, b), a != b, of the top-k set: what the OLMoE paper describes. */
    ALL_PAIRS,
    /**
     * Only experts at adjacent ranks r and r+1 of the top-k ordered by router weight, in both directions: what the
     * released allenai/OLMoE scripts/run_moe_analysis.py counts. For k = 2 it equals ALL_PAIRS.
     */
    ADJACENT_RANKS;

    /** Whether the experts at ranks r and s of one token's top-k count as a co-activated pair (a, b). */
    public boolean counts(int r, int s) {
        return this == ALL_PAIRS ? r != s : Math.abs(r - s) == 1;
    }
}
