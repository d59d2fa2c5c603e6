package io.moescope.analytics.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert lifecycle, pending -&gt; firing -&gt; resolved, per (rule, subject), driven by observed values and an
 * injected clock (tests advance a fake clock instead of sleeping). A breach starts PENDING; it FIRES once it has
 * lasted the rule's for-duration (at once for 0); a pending breach that goes away returns to INACTIVE silently; a
 * firing alert RESOLVES only when the value passes the clear threshold (hysteresis), and RESOLVED is left for a new
 * PENDING on the next breach. Not thread-safe.
 */
public final class AlertTracker {

    private record Key(long ruleId, String subject) {
    }

    private record Status(AlertState state, Instant since) {
    }

    private final Clock clock;
    private final Map<Key, Status> statuses = new HashMap<>();

    public AlertTracker(Clock clock) {
        this.clock = clock;
    }

    /** @return the transitions this value caused, in order (none, one, or pending+firing at once) */
    public List<AlertTransition> observe(AlertRule rule, String subject, double value) {
        Instant now = clock.instant();
        var key = new Key(rule.id(), subject);
        Status status = statuses.getOrDefault(key, new Status(AlertState.INACTIVE, now));
        var transitions = new ArrayList<AlertTransition>(2);
        boolean breached = rule.comparison().breaches(value, rule.threshold());
        AlertState state = status.state();
        if ((state == AlertState.INACTIVE || state == AlertState.RESOLVED) && breached) {
            status = step(rule, subject, status, AlertState.PENDING, value, now, transitions);
            state = AlertState.PENDING;
        }
        if (state == AlertState.PENDING) {
            if (!breached) {
                status = new Status(AlertState.INACTIVE, now);
            } else if (!Duration.between(status.since(), now).minus(rule.forDuration()).isNegative()) {
                status = step(rule, subject, status, AlertState.FIRING, value, now, transitions);
            }
        } else if (state == AlertState.FIRING && rule.comparison().clears(value, rule.clearThreshold())) {
            status = step(rule, subject, status, AlertState.RESOLVED, value, now, transitions);
        }
        statuses.put(key, status);
        return transitions;
    }

    /** The current state of a rule's subject. */
    public AlertState state(long ruleId, String subject) {
        return statuses.getOrDefault(new Key(ruleId, subject), new Status(AlertState.INACTIVE, null)).state();
    }

    /** Forgets a deleted or edited rule's alerts, so an edited rule starts afresh. */
    public void forget(long ruleId) {
        statuses.keySet().removeIf(key -> key.ruleId() == ruleId);
    }

    private static Status step(AlertRule rule, String subject, Status from, AlertState to, double value, Instant now,
                               List<AlertTransition> transitions) {
        transitions.add(new AlertTransition(rule.id(), rule.name(), subject, from.state(), to, value, now));
        return new Status(to, now);
    }
}
