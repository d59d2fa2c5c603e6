package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.analytics.alerting.Evidence;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code alert_event}: one lifecycle step. */
@Entity
@Table(name = "alert_event")
class AlertEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "rule_id")
    private long ruleId;
    @Column(name = "rule_name")
    private String ruleName;
    private String subject;
    @Column(name = "from_state")
    private String fromState;
    @Column(name = "to_state")
    private String toState;
    private double value;
    private Instant at;
    private String reason;
    private Long decisions;
    @Column(name = "chance_bound")
    private Double chanceBound;

    protected AlertEventEntity() {
        // for JPA
    }

    AlertEventEntity(AlertTransition t) {
        ruleId = t.ruleId();
        ruleName = t.rule();
        subject = t.subject();
        fromState = t.from().name();
        toState = t.to().name();
        value = t.value();
        at = t.at();
        reason = t.reason();
        if (t.evidence() != null) {
            decisions = t.evidence().decisions();
            chanceBound = t.evidence().chanceBound();
        }
    }

    AlertTransition toTransition() {
        return new AlertTransition(ruleId, ruleName, subject, AlertState.valueOf(fromState),
                AlertState.valueOf(toState), value, at, reason,
                decisions == null ? null : new Evidence(decisions, chanceBound));
    }
}
