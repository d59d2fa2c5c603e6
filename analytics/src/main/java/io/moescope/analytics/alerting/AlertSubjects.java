package io.moescope.analytics.alerting;

import io.moescope.analytics.load.ExpertLoad;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a rule sees in one run's window: one value per subject, by the rule's scope. */
public final class AlertSubjects {

    private AlertSubjects() {
    }

    /**
     * @param loads the run's per-layer loads over the rule's window; layers with no routed token are skipped
     * @return subject -&gt; value, empty when the rule does not apply to the run or nothing was routed
     */
    public static Map<String, Double> values(AlertRule rule, String runId, List<ExpertLoad> loads) {
        var values = new LinkedHashMap<String, Double>();
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
                    .forEach(l -> values.put(runId + "/layer " + l.layer(), rule.metric().of(l)));
            case MODEL -> values.put(runId, routed.stream().mapToDouble(rule.metric()::of)
                    .reduce(rule.comparison()::worse).orElseThrow());
            case RUN -> values.put(runId, rule.metric().of(pooled(routed)));
        }
        return values;
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
