package io.moescope.analytics.judgement;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.analytics.evidence.BalancedRouter;
import io.moescope.analytics.judgement.Verdict.Status;
import io.moescope.analytics.load.ExpertLoad;
import java.util.List;
import java.util.Locale;

/**
 * Judges a layer of one run by the enabled alert rules that watch it, so that the API's verdict, the command
 * line's, the dashboard's scorecards and the alerts never disagree: a layer is BREACH exactly when a rule's alert
 * would see a breach over the same loads ({@link AlertRule#breachedBy}).
 *
 * <p>LAYER rules (for this run or every run; this layer or every layer) and MODEL rules (a model's value is its
 * worst layer's, so a layer past the threshold is what fires it) judge a layer; RUN rules pool the layers and say
 * nothing about one. NEAR is the rule's hysteresis band: not breaching, not past the clear threshold either. A rule
 * without a band (clear threshold = threshold) gets one of 10% of the threshold, so a figure creeping up to it shows.
 * A figure past the threshold that a balanced router also shows at the layer's sample size is NEAR too, saying so:
 * it is no evidence, and the alert does not fire on it either ({@link AlertRule#breachedBy(double, ExpertLoad,
 * BalancedRouter)}).
 */
public final class RoutingJudge {

    /** The band of a rule whose clear threshold equals its threshold, as a fraction of the threshold. */
    static final double NEAR_FRACTION = 0.1;

    private final List<AlertRule> rules;
    private final BalancedRouter balanced = new BalancedRouter();

    /**
     * @param rules every stored rule; disabled ones, RUN-scoped ones and those for another run are left out
     * @param runId the run judged
     */
    public RoutingJudge(List<AlertRule> rules, String runId) {
        this.rules = rules.stream().filter(AlertRule::enabled)
                .filter(r -> r.scope() == AlertScope.LAYER || r.scope() == AlertScope.MODEL)
                .filter(r -> r.watchesRun(runId)).toList();
    }

    /**
     * The verdict of a whole layer: every watching rule computes its metric from the load, the worst wins (the
     * first rule in order on ties).
     *
     * @param load a load with at least one routed token
     */
    public Verdict judge(ExpertLoad load) {
        Verdict worst = new Verdict(load.layer(), Status.OK, null,
                "no enabled alert rule watches layer " + load.layer(), load.total());
        for (AlertRule rule : watching(load.layer())) {
            double value = rule.metric().of(load);
            Verdict verdict = verdict(rule, load, value, String.format(Locale.ROOT, "%s %s ",
                    rule.metric().id(), format(value)));
            worst = worst.rule() == null ? verdict : worst.worse(verdict);
        }
        return worst;
    }

    /** The verdict of one figure of a layer (a scorecard): only the rules on that metric judge it. */
    public Verdict judge(AlertMetric metric, ExpertLoad load) {
        Verdict worst = new Verdict(load.layer(), Status.OK, null, "no enabled alert rule watches " + metric.id(),
                load.total());
        double value = metric.of(load);
        for (AlertRule rule : watching(load.layer())) {
            if (rule.metric() == metric) {
                Verdict verdict = verdict(rule, load, value, "");
                worst = worst.rule() == null ? verdict : worst.worse(verdict);
            }
        }
        return worst;
    }

    /** The worst verdict over layers (lowest layer on ties). */
    public static Verdict worst(List<Verdict> verdicts) {
        return verdicts.stream().reduce(Verdict::worse)
                .orElseThrow(() -> new IllegalArgumentException("no layer verdict to choose from"));
    }

    /** Breach, near (inside the clear band) or clear: the rule's own breach and clear tests. */
    public static Status status(AlertRule rule, double value) {
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

    private List<AlertRule> watching(int layer) {
        return rules.stream().filter(r -> r.layer() == null || r.layer() == layer).toList();
    }

    private Verdict verdict(AlertRule rule, ExpertLoad load, double value, String measured) {
        Status status = status(rule, value);
        String sign = rule.comparison() == Comparison.ABOVE ? ">" : "<";
        if (status == Status.BREACH && !rule.breachedBy(value, load, balanced)) {
            return new Verdict(load.layer(), Status.NEAR, rule.name(), String.format(Locale.ROOT, "%sis past rule "
                    + "'%s' (fires when %s %s %s), but a balanced router shows %s %s at %,d decisions: too few to "
                    + "tell", measured, rule.name(), rule.metric().id(), sign, trim(rule.threshold()),
                    rule.comparison() == Comparison.ABOVE ? "up to" : "down to",
                    format(rule.chanceBound(load, balanced)), load.total()), load.total());
        }
        String state = switch (status) {
            case BREACH -> "breaches";
            case NEAR -> "is near";
            case OK -> "is clear of";
        };
        // Locale.ROOT: the reason is compared in tests and shown in alerts; a decimal comma would differ by host.
        return new Verdict(load.layer(), status, rule.name(), String.format(Locale.ROOT,
                "%s%s rule '%s' (fires when %s %s %s)", measured, state, rule.name(), rule.metric().id(), sign,
                trim(rule.threshold())), load.total());
    }

    private static String trim(double threshold) {
        return threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
