package io.moescope.analytics.collapse;

/**
 * Thresholds of {@link CollapseVerdict}. None of them is a published standard: they are defaults chosen so that a
 * layer trained with a balancing loss (normalised entropy typically above 0.95) reads healthy, and must stay
 * configurable.
 *
 * @param deadTau                    tau of {@link DeadExperts}: dead when p_i &lt; tau / N
 * @param collapsedEffectiveFraction collapsed when exp(H) / N is below this
 * @param collapsedDeadFraction      collapsed when more than this fraction of the experts is dead
 * @param degradedNormalisedEntropy  degraded when H / ln N is below this
 * @param degradedDominantRatio      degraded when max p_i exceeds this many times 1/N
 */
public record CollapseThresholds(double deadTau, double collapsedEffectiveFraction, double collapsedDeadFraction,
                                 double degradedNormalisedEntropy, double degradedDominantRatio) {

    /** tau 0.1; collapsed below 25% effective experts or above 50% dead; degraded below entropy 0.9 or above 3x. */
    public static final CollapseThresholds DEFAULTS = new CollapseThresholds(0.1, 0.25, 0.5, 0.9, 3.0);

    public CollapseThresholds {
        requireFraction("deadTau", deadTau);
        requireFraction("collapsedEffectiveFraction", collapsedEffectiveFraction);
        requireFraction("collapsedDeadFraction", collapsedDeadFraction);
        requireFraction("degradedNormalisedEntropy", degradedNormalisedEntropy);
        if (!(degradedDominantRatio >= 1)) {
            throw new IllegalArgumentException("degradedDominantRatio must be >= 1 but was " + degradedDominantRatio);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1] but was " + value);
        }
    }
}
