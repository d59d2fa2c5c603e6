package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertRule;

/** A rule as the REST API shows it: the same fields as {@link AlertRuleRequest}, plus the id. */
public record AlertRuleView(long id, String name, String metric, String scope, String runId, Integer layer,
                            String comparison, double threshold, double clearThreshold, long windowSeconds,
                            long forSeconds, boolean enabled) {

    public static AlertRuleView of(AlertRule r) {
        return new AlertRuleView(r.id(), r.name(), r.metric().id(), r.scope().name(), r.runId(), r.layer(),
                r.comparison().name(), r.threshold(), r.clearThreshold(), r.window().toSeconds(),
                r.forDuration().toSeconds(), r.enabled());
    }
}
