package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertSubjects;
import io.moescope.analytics.alerting.AlertTracker;
import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.analytics.evidence.BalancedRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final RunProgress runProgress;
    private final WebhookNotifier webhook;
    private final Clock clock;
    private final AlertTracker tracker;
    private final AlertStateGauges stateGauges;
    /** Small windows (a run's first seconds) look imbalanced by chance: a breach must lie past what this shows. */
    private final BalancedRouter balanced = new BalancedRouter();
    private List<AlertRule> cachedRules;
    /** Whether the alerts an earlier instance left pending or firing have been taken up (see {@link #restore}). */
    private boolean restored;

    AlertEvaluator(AlertRuleService rules, LiveLoads loads, RunProgress runProgress, WebhookNotifier webhook,
                   AlertStateGauges stateGauges, Clock clock) {
        this.rules = rules;
        this.loads = loads;
        this.runProgress = runProgress;
        this.webhook = webhook;
        this.clock = clock;
        this.tracker = new AlertTracker(clock);
        this.stateGauges = stateGauges;
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
        var transitions = new ArrayList<AlertTransition>();
        if (!restored) {
            restore(now);
            restored = true;
        }
        Set<String> live = loads.runs();
        var known = new TreeSet<>(live);
        known.addAll(tracker.runsWithActiveAlerts());
        RunProgress.Progress progress = runProgress.of(known);
        Map<String, String> ended = progress.ended();
        Duration longest = Duration.ZERO;
        for (AlertRule rule : cachedRules) {
            longest = longest.compareTo(rule.window()) < 0 ? rule.window() : longest;
            var observed = new HashSet<String>();
            for (String run : live) {
                if (ended.containsKey(run)) {
                    continue;
                }
                // empty while the run's N is not stored yet: without N, dead experts cannot be counted
                Map<String, AlertSubjects.Observation> values = loads.since(run, now.minus(rule.window()))
                        .map(window -> AlertSubjects.values(rule, run, window)).orElse(Map.of());
                values.forEach((subject, seen) -> {
                    observed.add(subject);
                    transitions.addAll(tracker.observe(rule, run, subject, seen.value(),
                            rule.evidence(seen.load(), balanced)));
                });
            }
            // Stored tokens count as data too: after a restart the windows hold only what streamed since.
            Instant windowStart = now.minus(rule.window());
            transitions.addAll(tracker.resolveUnobserved(rule, observed,
                    run -> !ended.containsKey(run) && progress.routedSince(run, windowStart),
                    run -> ended.containsKey(run)
                            ? "run ended (" + ended.get(run) + ")"
                            : "no data for longer than the " + rule.window().toSeconds() + " s window"));
        }
        loads.evictBefore(now.minus(longest).minus(RETENTION_MARGIN));
        stateGauges.show(tracker.activeCounts(), cachedRules);
        if (!transitions.isEmpty()) {
            log.info("alert transitions: {}", transitions);
            rules.record(transitions);
            webhook.notify(transitions);
        }
        return transitions;
    }

    /**
     * Takes up every alert whose latest stored step left it PENDING or FIRING (an earlier instance stopped, or
     * crashed, before resolving it), so that this evaluation resolves it by the usual rules: its run ended, or no
     * data within the rule's window (the stored tokens included). Such an alert of a rule that is no longer enabled
     * has nothing left to resolve it and is resolved here (stored and handed on at once).
     */
    private void restore(Instant now) {
        Map<Long, AlertRule> enabled = new HashMap<>();
        cachedRules.forEach(rule -> enabled.put(rule.id(), rule));
        var resolved = new ArrayList<AlertTransition>();
        int restoredCount = 0;
        for (AlertTransition last : rules.unresolved()) {
            AlertRule rule = enabled.get(last.ruleId());
            if (rule == null) {
                resolved.add(new AlertTransition(last.ruleId(), last.rule(), last.subject(), last.to(),
                        AlertState.RESOLVED, last.value(), now, "rule deleted or disabled", last.evidence()));
            } else {
                tracker.restore(rule, runOf(last.subject()), last.subject(), last.to(), last.at(), last.value(),
                        last.evidence());
                restoredCount++;
            }
        }
        if (restoredCount + resolved.size() > 0) {
            log.info("alert state rebuilt from the history: {} pending or firing alerts taken up (resolved at the"
                    + " next evaluation if their run ended or sent nothing within the rule's window), {} of rules"
                    + " no longer enabled resolved", restoredCount, resolved.size());
        }
        if (!resolved.isEmpty()) {
            log.info("alert transitions: {}", resolved);
            rules.record(resolved);
            webhook.notify(resolved);
        }
    }

    /** The run of a subject, "runId" or "runId/layer L". */
    private static String runOf(String subject) {
        int layer = subject.lastIndexOf("/layer ");
        return layer < 0 ? subject : subject.substring(0, layer);
    }
}
