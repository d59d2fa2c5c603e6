package io.moescope.app.alerts;

import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertSubjects;
import io.moescope.analytics.alerting.AlertTracker;
import io.moescope.analytics.alerting.AlertTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Evaluates every enabled rule against the streamed windows of every live run, drives the alert lifecycle, stores
 * the transitions and hands them to the webhook (which never blocks this). Called on a fixed tick; a rule change
 * takes effect at the next tick, and an edited rule's alerts start afresh.
 */
public class AlertEvaluator {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
    /** Buckets older than the longest window (plus this margin) are dropped. */
    private static final Duration RETENTION_MARGIN = Duration.ofMinutes(1);

    private final AlertRuleService rules;
    private final LiveLoads loads;
    private final RunEnds runEnds;
    private final WebhookNotifier webhook;
    private final Clock clock;
    private final AlertTracker tracker;
    private List<AlertRule> cachedRules;

    AlertEvaluator(AlertRuleService rules, LiveLoads loads, RunEnds runEnds, WebhookNotifier webhook, Clock clock) {
        this.rules = rules;
        this.loads = loads;
        this.runEnds = runEnds;
        this.webhook = webhook;
        this.clock = clock;
        this.tracker = new AlertTracker(clock);
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void rulesChanged(AlertRuleService.RulesChanged change) {
        tracker.forget(change.ruleId());
        cachedRules = null;
    }

    /**
     * One evaluation of all rules; returns the transitions it caused (already stored and handed on). Runs that have
     * ended are no longer evaluated; an alert whose subject got no value (its run ended, or nothing arrived within
     * the rule's window) resolves, with that reason.
     */
    public synchronized List<AlertTransition> evaluate() {
        if (cachedRules == null) {
            cachedRules = rules.rules().stream().filter(AlertRule::enabled).toList();
        }
        Instant now = clock.instant();
        Set<String> live = loads.runs();
        var known = new TreeSet<>(live);
        known.addAll(tracker.runsWithActiveAlerts());
        Map<String, String> ended = runEnds.ended(known);
        var transitions = new ArrayList<AlertTransition>();
        Duration longest = Duration.ZERO;
        for (AlertRule rule : cachedRules) {
            longest = longest.compareTo(rule.window()) < 0 ? rule.window() : longest;
            var observed = new HashSet<String>();
            for (String run : live) {
                if (ended.containsKey(run)) {
                    continue;
                }
                // empty while the run's N is not stored yet: without N, dead experts cannot be counted
                Map<String, Double> values = loads.since(run, now.minus(rule.window()))
                        .map(window -> AlertSubjects.values(rule, run, window)).orElse(Map.of());
                values.forEach((subject, value) -> {
                    observed.add(subject);
                    transitions.addAll(tracker.observe(rule, run, subject, value));
                });
            }
            transitions.addAll(tracker.resolveUnobserved(rule, observed, run -> ended.containsKey(run)
                    ? "run ended (" + ended.get(run) + ")"
                    : "no data for longer than the " + rule.window().toSeconds() + " s window"));
        }
        loads.evictBefore(now.minus(longest).minus(RETENTION_MARGIN));
        if (!transitions.isEmpty()) {
            log.info("alert transitions: {}", transitions);
            rules.record(transitions);
            webhook.notify(transitions);
        }
        return transitions;
    }
}
