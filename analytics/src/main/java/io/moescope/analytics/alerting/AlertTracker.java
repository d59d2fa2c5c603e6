package io.moescope.analytics.alerting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The alert lifecycle, pending -&gt; firing -&gt; resolved, per (rule, subject), driven by observed values and an
 * injected clock (tests advance a fake clock instead of sleeping). A breach starts PENDING; it FIRES once it has
 * lasted the rule's for-duration (at once for 0); a pending breach that goes away returns to INACTIVE, as a
 * transition of its own (the stored history must end in the true state: a run's health is its alerts' latest
 * stored steps, and a finished run whose last step was PENDING would read pending forever); a
 * firing alert RESOLVES only when the value passes the clear threshold (hysteresis), and RESOLVED is left for a new
 * PENDING on the next breach. An alert whose subject stops being observed (its run ended, or its window holds no
 * data) is resolved by {@link #resolveUnobserved}, whatever its state, so nothing stays firing for a run that is
 * gone. Not thread-safe.
 */
public final class AlertTracker {

    private record Key(long ruleId, String subject) {
    }

    /**
     * @param run          the run the subject belongs to
     * @param lastValue    the value of the latest observation
     * @param lastEvidence what it rested on; null when it was judged without
     */
    private record Status(AlertState state, Instant since, String run, double lastValue, Evidence lastEvidence) {
    }

    private final Clock clock;
    private final Map<Key, Status> statuses = new HashMap<>();

    public AlertTracker(Clock clock) {
        this.clock = clock;
    }

    /** {@link #observe(AlertRule, String, String, double)} for a subject that is its own run. */
    public List<AlertTransition> observe(AlertRule rule, String subject, double value) {
        return observe(rule, subject, subject, value);
    }

    /**
     * @param run     the run the subject belongs to (what {@link #resolveUnobserved} reports reasons for)
     * @param subject what the value is about: "run" or "run/layer L"
     * @return the transitions this value caused, in order (none, one, or pending+firing at once)
     */
    public List<AlertTransition> observe(AlertRule rule, String run, String subject, double value) {
        return observe(rule, run, subject, value, rule.breachedBy(value), null);
    }

    /**
     * {@link #observe(AlertRule, String, String, double)} for a value measured on a load: a breach only past the
     * threshold and past what chance shows at its size ({@link AlertRule#breachedBy(double, Evidence)}); every step it
     * causes carries the evidence, and a breach says it in its reason.
     */
    public List<AlertTransition> observe(AlertRule rule, String run, String subject, double value,
                                         Evidence evidence) {
        return observe(rule, run, subject, value, rule.breachedBy(value, evidence), evidence);
    }

    private List<AlertTransition> observe(AlertRule rule, String run, String subject, double value, boolean breached,
                                          Evidence evidence) {
        Instant now = clock.instant();
        var key = new Key(rule.id(), subject);
        Status status = statuses.getOrDefault(key, new Status(AlertState.INACTIVE, now, run, value, evidence));
        var observed = new Observed(value, evidence, now);
        var transitions = new ArrayList<AlertTransition>(2);
        AlertState state = status.state();
        if ((state == AlertState.INACTIVE || state == AlertState.RESOLVED) && breached) {
            status = step(rule, subject, status, AlertState.PENDING, observed,
                    breachReason(rule) + evidenceText(evidence), transitions);
            state = AlertState.PENDING;
        }
        if (state == AlertState.PENDING) {
            if (!breached) {
                status = step(rule, subject, status, AlertState.INACTIVE, observed, rule.metric().id()
                        + " no longer " + breachSide(rule) + " before it had lasted "
                        + rule.forDuration().toSeconds() + " s", transitions);
            } else if (!Duration.between(status.since(), now).minus(rule.forDuration()).isNegative()) {
                status = step(rule, subject, status, AlertState.FIRING, observed,
                        breachReason(rule) + " for " + rule.forDuration().toSeconds() + " s" + evidenceText(evidence),
                        transitions);
            }
        } else if (state == AlertState.FIRING && rule.clearedBy(value)) {
            status = step(rule, subject, status, AlertState.RESOLVED, observed, rule.metric().id() + " back to "
                    + rule.clearThreshold() + " or better (clear threshold)", transitions);
        }
        statuses.put(key, new Status(status.state(), status.since(), run, value, evidence));
        return transitions;
    }

    /**
     * Resolves every PENDING or FIRING alert of {@code rule} whose subject is not in {@code observed} (it got no
     * value in this evaluation), with the reason {@code reasonByRun} gives for the subject's run; the transition
     * carries the last value seen. Quiet alerts of unobserved subjects are forgotten, so memory stays bounded by
     * the live subjects.
     */
    public List<AlertTransition> resolveUnobserved(AlertRule rule, Set<String> observed,
                                                   Function<String, String> reasonByRun) {
        return resolveUnobserved(rule, observed, run -> false, reasonByRun);
    }

    /**
     * {@link #resolveUnobserved(AlertRule, Set, Function)}, except that the alerts of runs {@code stillSending}
     * accepts are left as they are: the caller knows the run had data within the rule's window although this
     * evaluation saw none of it (the windows are rebuilt after a restart only from what arrives after it).
     */
    public List<AlertTransition> resolveUnobserved(AlertRule rule, Set<String> observed,
                                                   Predicate<String> stillSending,
                                                   Function<String, String> reasonByRun) {
        Instant now = clock.instant();
        var transitions = new ArrayList<AlertTransition>();
        for (var it = statuses.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Status status = entry.getValue();
            if (entry.getKey().ruleId() != rule.id() || observed.contains(entry.getKey().subject())
                    || stillSending.test(status.run())) {
                continue;
            }
            if (isActive(status)) {
                entry.setValue(step(rule, entry.getKey().subject(), status, AlertState.RESOLVED,
                        new Observed(status.lastValue(), status.lastEvidence(), now), reasonByRun.apply(status.run()),
                        transitions));
            } else {
                it.remove();
            }
        }
        transitions.sort(Comparator.comparing(AlertTransition::subject));
        return transitions;
    }

    /**
     * Takes up an alert where an earlier instance left it (after a restart: its latest stored step), so that it
     * resolves, fires or clears by the same rules as if there had been no restart. Only PENDING and FIRING are
     * worth restoring; a PENDING alert keeps the time it became pending, so its for-duration counts from then.
     *
     * @param since    when the alert entered {@code state}
     * @param evidence what its stored step rested on (null for steps stored without), so that a resolution after
     *                 the restart carries the sample its last value was measured on, as without the restart
     */
    public void restore(AlertRule rule, String run, String subject, AlertState state, Instant since,
                        double lastValue, Evidence evidence) {
        if (state != AlertState.PENDING && state != AlertState.FIRING) {
            throw new IllegalArgumentException("only PENDING or FIRING alerts are restored, not " + state);
        }
        statuses.put(new Key(rule.id(), subject), new Status(state, since, run, lastValue, evidence));
    }

    /** Runs that have a PENDING or FIRING alert. */
    public Set<String> runsWithActiveAlerts() {
        var runs = new TreeSet<String>();
        statuses.values().stream().filter(AlertTracker::isActive).forEach(s -> runs.add(s.run()));
        return runs;
    }

    /** A rule's alerts of one run in one active state (PENDING or FIRING). */
    public record ActiveAlerts(long ruleId, String run, AlertState state) {
    }

    /** How many subjects (a run, or layers of it) each rule has PENDING and FIRING, per run. */
    public Map<ActiveAlerts, Integer> activeCounts() {
        var counts = new HashMap<ActiveAlerts, Integer>();
        statuses.forEach((key, status) -> {
            if (isActive(status)) {
                counts.merge(new ActiveAlerts(key.ruleId(), status.run(), status.state()), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** The current state of a rule's subject. */
    public AlertState state(long ruleId, String subject) {
        Status status = statuses.get(new Key(ruleId, subject));
        return status == null ? AlertState.INACTIVE : status.state();
    }

    /** Forgets a deleted or edited rule's alerts, so an edited rule starts afresh. */
    public void forget(long ruleId) {
        statuses.keySet().removeIf(key -> key.ruleId() == ruleId);
    }

    private static boolean isActive(Status status) {
        return status.state() == AlertState.PENDING || status.state() == AlertState.FIRING;
    }

    private static String breachReason(AlertRule rule) {
        return rule.metric().id() + " " + breachSide(rule);
    }

    /** What a breach rested on, appended to its reason: " (4096 decisions; a balanced router's 95 % bound: 0.3512)". */
    private static String evidenceText(Evidence evidence) {
        return evidence == null ? "" : " (" + evidence.decisions() + " decisions; a balanced router's 95 % bound: "
                + String.format(Locale.ROOT, "%.4g", evidence.chanceBound()) + ")";
    }

    private static String breachSide(AlertRule rule) {
        return rule.comparison().name().toLowerCase(Locale.ROOT) + " " + rule.threshold();
    }

    /** A value, what it rested on, and when it was seen. */
    private record Observed(double value, Evidence evidence, Instant at) {
    }

    private static Status step(AlertRule rule, String subject, Status from, AlertState to, Observed observed,
                               String reason, List<AlertTransition> transitions) {
        transitions.add(new AlertTransition(rule.id(), rule.name(), subject, from.state(), to, observed.value(),
                observed.at(), reason, observed.evidence()));
        return new Status(to, observed.at(), from.run(), observed.value(), observed.evidence());
    }
}
