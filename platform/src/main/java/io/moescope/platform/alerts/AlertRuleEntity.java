package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;

/** A row of {@code alert_rule}; the validated form is the core's {@link AlertRule}. */
@Entity
@Table(name = "alert_rule")
class AlertRuleEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String name;
    private String metric;
    private String scope;
    @Column(name = "run_id")
    private String runId;
    private Integer layer;
    private String comparison;
    private double threshold;
    @Column(name = "clear_threshold")
    private double clearThreshold;
    @Column(name = "window_seconds")
    private long windowSeconds;
    @Column(name = "for_seconds")
    private long forSeconds;
    private boolean enabled;

    protected AlertRuleEntity() {
        // for JPA
    }

    AlertRuleEntity(AlertRule rule) {
        update(rule);
    }

    final void update(AlertRule rule) {
        name = rule.name();
        metric = rule.metric().id();
        scope = rule.scope().name();
        runId = rule.runId();
        layer = rule.layer();
        comparison = rule.comparison().name();
        threshold = rule.threshold();
        clearThreshold = rule.clearThreshold();
        windowSeconds = rule.window().toSeconds();
        forSeconds = rule.forDuration().toSeconds();
        enabled = rule.enabled();
    }

    AlertRule toRule() {
        return new AlertRule(id, name, AlertMetric.parse(metric), AlertScope.valueOf(scope), runId, layer,
                Comparison.valueOf(comparison), threshold, clearThreshold, Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(forSeconds), enabled);
    }
}
