package io.moescope.dashboard.run;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import java.util.List;
import java.util.Locale;

/**
 * Judges a layer's figure against the enabled alert rules that watch it, so a scorecard is red exactly when a rule
 * would see a breach. LAYER rules (for this run, or every run; this layer, or every layer) and MODEL rules (the
 * model's value is its worst layer's, so a layer past the threshold is what would fire it) apply; RUN rules pool
 * the layers and say nothing about one layer.
 *
 * <p>Red and green are the alert evaluation's own judgement ({@link AlertRule#breachedBy},
 * {@link AlertRule#clearedBy}). Amber ("near") is the hysteresis band: not breaching, but not past the clear
 * threshold either, so an alert would not resolve there. A rule without a band (clear threshold = threshold) gets one of 10% of the threshold here.
 */
public final class ScorecardRules {

    /** The band of a rule whose clear threshold equals its threshold, as a fraction of the threshold. */
    static final double NEAR_FRACTION = 0.1;

    /** Worst last: a figure shows the worst status any rule gives it. */
    public enum Status {
        OK("scorecard-ok"), NEAR("scorecard-near"), BREACH("scorecard-breach");

        private final String cssClass;

        Status(String cssClass) {
            this.cssClass = cssClass;
        }

        public String cssClass() {
            return cssClass;
        }
    }

    /**
     * @param status the colour
     * @param rule   the rule that decided it; null when no enabled rule watches the figure
     * @param reason in words, for the tooltip
     */
    public record Verdict(Status status, String rule, String reason) {
    }

    private final List<AlertRule> rules;

    /** @param runId only rules for every run or this run apply */
    public ScorecardRules(List<AlertRule> rules, String runId) {
        this.rules = rules.stream().filter(AlertRule::enabled)
                .filter(r -> r.scope() == AlertScope.LAYER || r.scope() == AlertScope.MODEL)
                .filter(r -> r.watchesRun(runId)).toList();
    }

    public Verdict judge(AlertMetric metric, int layer, double value) {
        Verdict worst = new Verdict(Status.OK, null, "no enabled alert rule watches " + metric.id());
        for (AlertRule rule : rules) {
            if (rule.metric() != metric || (rule.layer() != null && rule.layer() != layer)) {
                continue;
            }
            Status status = status(rule, value);
            if (worst.rule() == null || status.compareTo(worst.status()) > 0) {
                worst = new Verdict(status, rule.name(), describe(rule, status));
            }
        }
        return worst;
    }

    static Status status(AlertRule rule, double value) {
        if (rule.breachedBy(value)) {
            return Status.BREACH;
        }
        if (rule.clearThreshold() != rule.threshold()) {
            return rule.clearedBy(value) ? Status.OK : Status.NEAR;
        }
        Comparison comparison = rule.comparison();
        double band = (comparison == Comparison.ABOVE ? -1 : 1) * NEAR_FRACTION * Math.abs(rule.threshold());
        return comparison.clears(value, rule.threshold() + band) ? Status.OK : Status.NEAR;
    }

    private static String describe(AlertRule rule, Status status) {
        String sign = rule.comparison() == Comparison.ABOVE ? ">" : "<";
        String state = switch (status) {
            case BREACH -> "breaches";
            case NEAR -> "is near";
            case OK -> "is clear of";
        };
        return String.format(Locale.ROOT, "%s rule '%s' (fires when %s %s %s)", state, rule.name(),
                rule.metric().id(), sign, trim(rule.threshold()));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
