package io.moescope.analytics.alerting;

import io.moescope.analytics.load.ExpertLoad;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a rule sees in one run's window: one value per subject, by the rule's scope. */
public final class AlertSubjects {

    /**
     * A subject's value and the load it was measured on (for a MODEL rule the worst layer's, for a RUN rule the
     * layers pooled), whose size decides whether a breach is evidence ({@link AlertRule#breachedBy(double,
     * ExpertLoad, io.moescope.analytics.evidence.BalancedRouter)}).
     */
    public record Observation(double value, ExpertLoad load) {
    }

    private AlertSubjects() {
    }

    /**
     * @param loads the run's per-layer loads over the rule's window; layers with no routed token are skipped
     * @return subject -&gt; observation, empty when the rule does not apply to the run or nothing was routed
     */
    public static Map<String, Observation> values(AlertRule rule, String runId, List<ExpertLoad> loads) {
        var values = new LinkedHashMap<String, Observation>();
        if (!rule.watchesRun(runId)) {
            return values;
        }
        List<ExpertLoad> routed = loads.stream().filter(l -> l.total() > 0).toList();
        if (routed.isEmpty()) {
            return values;
        }
        switch (rule.scope()) {
            case LAYER -> routed.stream()
                    .filter(l -> rule.layer() == null || rule.layer() == l.layer())
                    .forEach(l -> values.put(runId + "/layer " + l.layer(), observed(rule, l)));
            case MODEL -> values.put(runId, routed.stream().map(l -> observed(rule, l))
                    .reduce((a, b) -> rule.comparison().worse(a.value(), b.value()) == a.value() ? a : b)
                    .orElseThrow());
            case RUN -> values.put(runId, observed(rule, pooled(routed)));
        }
        return values;
    }

    private static Observation observed(AlertRule rule, ExpertLoad load) {
        return new Observation(rule.metric().of(load), load);
    }

    private static ExpertLoad pooled(List<ExpertLoad> loads) {
        long[] sum = new long[loads.get(0).numExperts()];
        for (ExpertLoad load : loads) {
            long[] counts = load.counts();
            for (int i = 0; i < sum.length && i < counts.length; i++) {
                sum[i] += counts[i];
            }
        }
        return new ExpertLoad(-1, sum);
    }
}
