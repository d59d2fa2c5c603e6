package io.moescope.analytics.alerting;

import io.moescope.analytics.evidence.BalancedRouter;
import io.moescope.analytics.load.ExpertLoad;
import java.time.Duration;
import java.util.Objects;

/**
 * An alert rule: fire when {@code metric} over the last {@code window} is on the bad side of {@code threshold}
 * for at least {@code forDuration}; resolve when it is back on the good side of {@code clearThreshold}
 * (hysteresis: a value hovering at the threshold does not flap).
 *
 * @param id             storage id (0 before it is stored)
 * @param name           shown in notifications
 * @param metric         what is watched
 * @param scope          layer, model (worst layer) or run (pooled)
 * @param runId          only this run, or null for every run
 * @param layer          for LAYER scope, only this layer, or null for every layer
 * @param comparison     ABOVE or BELOW
 * @param threshold      the breach threshold
 * @param clearThreshold the resolve threshold; not on the bad side of threshold
 * @param window         the evaluation window
 * @param forDuration    how long a breach must last before the alert fires (0 = at once)
 * @param enabled        disabled rules are not evaluated
 */
public record AlertRule(long id, String name, AlertMetric metric, AlertScope scope, String runId, Integer layer,
                        Comparison comparison, double threshold, double clearThreshold, Duration window,
                        Duration forDuration, boolean enabled) {

    /** The share of a balanced router's samples a breaching value must lie beyond to count as evidence. */
    public static final double EVIDENCE = 0.95;

    public AlertRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a rule needs a name");
        }
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold) || !Double.isFinite(clearThreshold)) {
            throw new IllegalArgumentException("threshold and clearThreshold must be finite numbers");
        }
        if (comparison.breaches(clearThreshold, threshold)) {
            throw new IllegalArgumentException("clearThreshold: " + clearThreshold + " is itself a breach of "
                    + comparison + " " + threshold + "; the alert could never resolve");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be a positive duration but was " + window);
        }
        if (forDuration == null || forDuration.isNegative()) {
            throw new IllegalArgumentException("forDuration must be >= 0 but was " + forDuration);
        }
        if (layer != null && (scope != AlertScope.LAYER || layer < 0)) {
            throw new IllegalArgumentException("layer: only a LAYER-scoped rule names a layer, and it must be >= 0");
        }
    }

    /** Whether the rule watches this run: it names none (every run) or this one. */
    public boolean watchesRun(String candidate) {
        return runId == null || runId.equals(candidate);
    }

    /** Whether a value breaches the rule: an alert goes PENDING, and FIRING after {@code forDuration}. */
    public boolean breachedBy(double value) {
        return comparison.breaches(value, threshold);
    }

    /**
     * What a balanced router shows of this rule's metric at the size of {@code load}, on the rule's bad side (the
     * 95th percentile of its samples where the bad side is ABOVE, the 5th where it is BELOW): a value past the
     * threshold but not past this bound is what sample size alone produces.
     */
    public double chanceBound(ExpertLoad load, BalancedRouter balanced) {
        return balanced.quantile(metric::of, comparison == Comparison.ABOVE ? EVIDENCE : 1 - EVIDENCE, load);
    }

    /**
     * Whether {@code value}, measured on {@code load}, breaches the rule with evidence: past the threshold and past
     * what a balanced router shows at that sample size ({@link #chanceBound}). What alerts and verdicts act on.
     */
    public boolean breachedBy(double value, ExpertLoad load, BalancedRouter balanced) {
        return breachedBy(value, evidence(load, balanced));
    }

    /** Whether {@code value} breaches the rule with evidence: past the threshold and past the chance bound. */
    public boolean breachedBy(double value, Evidence evidence) {
        return breachedBy(value) && comparison.breaches(value, evidence.chanceBound());
    }

    /** The sample {@code load} gives a value of this rule's metric, and the chance bound at its size. */
    public Evidence evidence(ExpertLoad load, BalancedRouter balanced) {
        return new Evidence(load.total(), chanceBound(load, balanced));
    }

    /** Whether a value is at or past the clear threshold: a FIRING alert resolves. */
    public boolean clearedBy(double value) {
        return comparison.clears(value, clearThreshold);
    }

    public AlertRule withId(long newId) {
        return new AlertRule(newId, name, metric, scope, runId, layer, comparison, threshold, clearThreshold, window,
                forDuration, enabled);
    }
}
