package io.moescope.app.alerts;

import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertSubjects;
import io.moescope.analytics.alerting.AlertTracker;
import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.analytics.alerting.WindowedLoads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.app.metrics.RolledUpLoads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final WindowedLoads loads;
    private final WebhookNotifier webhook;
    private final Clock clock;
    private final AlertTracker tracker;
    private final RolledUpLoads runs;
    private final Map<String, Integer> numExpertsByRun = new HashMap<>();
    private List<AlertRule> cachedRules;

    AlertEvaluator(AlertRuleService rules, WindowedLoads loads, WebhookNotifier webhook, Clock clock,
                   RolledUpLoads runs) {
        this.rules = rules;
        this.runs = runs;
        this.loads = loads;
        this.webhook = webhook;
        this.clock = clock;
        this.tracker = new AlertTracker(clock);
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void rulesChanged(AlertRuleService.RulesChanged change) {
        tracker.forget(change.ruleId());
        cachedRules = null;
    }

    /** One evaluation of all rules; returns the transitions it caused (already stored and handed on). */
    public synchronized List<AlertTransition> evaluate() {
        if (cachedRules == null) {
            cachedRules = rules.rules().stream().filter(AlertRule::enabled).toList();
        }
        Instant now = clock.instant();
        var transitions = new ArrayList<AlertTransition>();
        Duration longest = Duration.ZERO;
        for (String run : loads.runs()) {
            Integer numExperts = numExperts(run);
            if (numExperts == null) {
                continue; // the run's model (N) is not stored yet: without N, dead experts cannot be counted
            }
            for (AlertRule rule : cachedRules) {
                longest = longest.compareTo(rule.window()) < 0 ? rule.window() : longest;
                Map<String, Double> values = AlertSubjects.values(rule, run,
                        padded(loads.loads(run, now.minus(rule.window())), numExperts));
                values.forEach((subject, value) -> transitions.addAll(tracker.observe(rule, subject, value)));
            }
        }
        loads.evictBefore(now.minus(longest).minus(RETENTION_MARGIN));
        if (!transitions.isEmpty()) {
            log.info("alert transitions: {}", transitions);
            rules.record(transitions);
            webhook.notify(transitions);
        }
        return transitions;
    }

    private Integer numExperts(String run) {
        Integer n = numExpertsByRun.get(run);
        if (n == null) {
            n = runs.shape(run).map(RolledUpLoads.RunShape::numExperts).orElse(null);
            if (n != null) {
                numExpertsByRun.put(run, n);
            }
        }
        return n;
    }

    /** The stream only knows the largest expert id seen; experts above it were chosen 0 times. */
    private static List<ExpertLoad> padded(List<ExpertLoad> loads, int numExperts) {
        return loads.stream().map(l -> l.numExperts() >= numExperts ? l
                : new ExpertLoad(l.layer(), Arrays.copyOf(l.counts(), numExperts))).toList();
    }
}
