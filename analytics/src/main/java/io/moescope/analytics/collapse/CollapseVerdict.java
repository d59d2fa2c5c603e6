package io.moescope.analytics.collapse;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Locale;

/**
 * Whether a layer's routing has collapsed onto few experts, with the rule that decided it in words (for the UI and
 * alerts). Rules, checked in this order, the first that fires wins:
 * <ol>
 *   <li>COLLAPSED if effective experts exp(H) / N &lt; collapsedEffectiveFraction;</li>
 *   <li>COLLAPSED if dead experts / N &gt; collapsedDeadFraction;</li>
 *   <li>DEGRADED if any expert is dead (p_i &lt; tau / N);</li>
 *   <li>DEGRADED if normalised entropy H / ln N &lt; degradedNormalisedEntropy;</li>
 *   <li>DEGRADED if max p_i &gt; degradedDominantRatio / N;</li>
 *   <li>HEALTHY otherwise.</li>
 * </ol>
 * A layer with a single expert cannot collapse and is always HEALTHY.
 *
 * @param layer  decoder layer index
 * @param status the verdict
 * @param rule   the rule that produced it, with the measured value and the threshold
 */
public record CollapseVerdict(int layer, Status status, String rule) {

    public enum Status {
        HEALTHY, DEGRADED, COLLAPSED
    }

    public static CollapseVerdict of(ExpertLoad load) {
        return of(load, CollapseThresholds.DEFAULTS);
    }

    /** @throws IllegalArgumentException when the load holds no routed token */
    public static CollapseVerdict of(ExpertLoad load, CollapseThresholds t) {
        int n = load.numExperts();
        double effective = EffectiveExperts.of(load);
        if (n == 1) {
            return new CollapseVerdict(load.layer(), Status.HEALTHY, "a single expert cannot collapse");
        }
        if (effective / n < t.collapsedEffectiveFraction()) {
            return verdict(load, Status.COLLAPSED, "effective experts %.2f of %d = %.3f < %.3f", effective, n,
                    effective / n, t.collapsedEffectiveFraction());
        }
        DeadExperts dead = DeadExperts.of(load, t.deadTau());
        double deadFraction = (double) dead.deadCount() / n;
        if (deadFraction > t.collapsedDeadFraction()) {
            return verdict(load, Status.COLLAPSED, "dead experts %d of %d = %.3f > %.3f", dead.deadCount(), n,
                    deadFraction, t.collapsedDeadFraction());
        }
        if (dead.deadCount() > 0) {
            return verdict(load, Status.DEGRADED, "%d dead experts (share < %.3f x 1/%d)", dead.deadCount(),
                    t.deadTau(), n);
        }
        double entropy = NormalisedEntropy.of(load);
        if (entropy < t.degradedNormalisedEntropy()) {
            return verdict(load, Status.DEGRADED, "normalised entropy %.3f < %.3f", entropy,
                    t.degradedNormalisedEntropy());
        }
        DominantShare dominant = DominantShare.of(load);
        if (dominant.timesUniform() > t.degradedDominantRatio()) {
            return verdict(load, Status.DEGRADED, "expert %d share %.3f = %.2f x 1/%d > %.2f x", dominant.expert(),
                    dominant.share(), dominant.timesUniform(), n, t.degradedDominantRatio());
        }
        return verdict(load, Status.HEALTHY, "no rule fired (normalised entropy %.3f, effective experts %.2f of %d)",
                entropy, effective, n);
    }

    private static CollapseVerdict verdict(ExpertLoad load, Status status, String format, Object... args) {
        // Locale.ROOT: the rule text is compared in tests and shown in alerts; a decimal comma would differ by host.
        return new CollapseVerdict(load.layer(), status, String.format(Locale.ROOT, format, args));
    }
}
