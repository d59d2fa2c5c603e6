package io.moescope.analytics.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** MaxVio &gt; 1.0 for 2 minutes, clears at 0.8. */
    private static final AlertRule MAX_VIO = new AlertRule(7, "hot expert", AlertMetric.MAX_VIO, AlertScope.LAYER,
            null, null, Comparison.ABOVE, 1.0, 0.8, Duration.ofMinutes(1), Duration.ofMinutes(2), true);

    private Instant now = T0;
    private final AlertTracker tracker = new AlertTracker(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    private AlertState observeAt(int seconds, double value) {
        now = T0.plusSeconds(seconds);
        tracker.observe(MAX_VIO, "r", "r/layer 0", value);
        return tracker.state(7, "r/layer 0");
    }

    @Test
    void aBreachIsPendingUntilItHasLastedTheForDuration() {
        assertThat(observeAt(0, 1.5)).isEqualTo(AlertState.PENDING);
        assertThat(observeAt(119, 1.5)).isEqualTo(AlertState.PENDING);
        assertThat(observeAt(120, 1.5)).isEqualTo(AlertState.FIRING);
    }

    @Test
    void aPendingBreachThatGoesAwayNeverFires() {
        observeAt(0, 1.5);
        assertThat(observeAt(60, 0.9)).isEqualTo(AlertState.INACTIVE);
        assertThat(observeAt(150, 1.5)).isEqualTo(AlertState.PENDING);
    }

    @Test
    void aPendingBreachThatGoesAwayIsRecordedAsInactiveWithTheReason() {
        observeAt(0, 1.5);
        now = T0.plusSeconds(60);

        assertThat(tracker.observe(MAX_VIO, "r", "r/layer 0", 0.9)).containsExactly(new AlertTransition(7,
                "hot expert", "r/layer 0", AlertState.PENDING, AlertState.INACTIVE, 0.9, T0.plusSeconds(60),
                "max_vio no longer above 1.0 before it had lasted 120 s"));
    }

    @Test
    void aValueThatStaysClearRecordsNothing() {
        observeAt(0, 0.9);
        now = T0.plusSeconds(10);

        assertThat(tracker.observe(MAX_VIO, "r", "r/layer 0", 0.5)).isEmpty();
    }

    @Test
    void aFiringAlertResolvesOnlyPastTheClearThreshold() {
        observeAt(0, 1.5);
        observeAt(120, 1.5);
        assertThat(observeAt(130, 0.9)).as("below the threshold, above the clear threshold").isEqualTo(AlertState.FIRING);
        assertThat(observeAt(140, 0.8)).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void theTransitionsCarryTheValueAndTheClockTime() {
        now = T0;
        var transitions = tracker.observe(MAX_VIO.withId(8), "r", 2.0);
        assertThat(transitions).containsExactly(
                new AlertTransition(8, "hot expert", "r", AlertState.INACTIVE, AlertState.PENDING, 2.0, T0,
                        "max_vio above 1.0"));
    }

    @Test
    void aZeroForDurationFiresOnTheFirstBreach() {
        var atOnce = new AlertRule(1, "entropy", AlertMetric.NORMALISED_ENTROPY, AlertScope.MODEL, null, null,
                Comparison.BELOW, 0.7, 0.75, Duration.ofMinutes(1), Duration.ZERO, true);
        assertThat(tracker.observe(atOnce, "r", 0.5)).extracting(AlertTransition::to)
                .containsExactly(AlertState.PENDING, AlertState.FIRING);
    }

    @Test
    void afterResolvingANewBreachStartsPendingAgain() {
        observeAt(0, 1.5);
        observeAt(120, 1.5);
        observeAt(130, 0.5);
        assertThat(observeAt(140, 1.5)).isEqualTo(AlertState.PENDING);
    }

    @Test
    void aFiringAlertWhoseSubjectGetsNoValueResolvesWithItsRunsReasonAndLastValue() {
        observeAt(0, 1.5);
        observeAt(120, 1.7);
        now = T0.plusSeconds(200);
        var resolved = tracker.resolveUnobserved(MAX_VIO, Set.of(), run -> "run ended (FINISHED): " + run);
        assertThat(resolved).containsExactly(new AlertTransition(7, "hot expert", "r/layer 0", AlertState.FIRING,
                AlertState.RESOLVED, 1.7, T0.plusSeconds(200), "run ended (FINISHED): r"));
        assertThat(tracker.state(7, "r/layer 0")).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aPendingAlertWhoseSubjectGetsNoValueResolvesToo() {
        observeAt(0, 1.5);
        assertThat(tracker.resolveUnobserved(MAX_VIO, Set.of(), run -> "gone")).extracting(AlertTransition::from,
                AlertTransition::to).containsExactly(tuple(AlertState.PENDING, AlertState.RESOLVED));
    }

    @Test
    void anObservedSubjectStaysFiring() {
        observeAt(0, 1.5);
        observeAt(120, 1.5);
        assertThat(tracker.resolveUnobserved(MAX_VIO, Set.of("r/layer 0"), run -> "gone")).isEmpty();
        assertThat(tracker.state(7, "r/layer 0")).isEqualTo(AlertState.FIRING);
    }

    @Test
    void onlyTheGivenRulesAlertsAreResolved() {
        observeAt(0, 1.5);
        var otherRule = MAX_VIO.withId(9);
        assertThat(tracker.resolveUnobserved(otherRule, Set.of(), run -> "gone")).isEmpty();
        assertThat(tracker.state(7, "r/layer 0")).isEqualTo(AlertState.PENDING);
    }

    @Test
    void theRunOfEveryActiveAlertIsKnownUntilItResolves() {
        tracker.observe(MAX_VIO, "run-a", "run-a/layer 3", 1.5);
        tracker.observe(MAX_VIO, "run-b", "run-b/layer 3", 0.5);
        assertThat(tracker.runsWithActiveAlerts()).containsExactly("run-a");
        tracker.resolveUnobserved(MAX_VIO, Set.of(), run -> "gone");
        assertThat(tracker.runsWithActiveAlerts()).isEmpty();
    }

    @Test
    void activeCountsAreTheSubjectsOfEachRuleAndRunPerActiveState() {
        now = T0;
        tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5);
        tracker.observe(MAX_VIO, "r", "r/layer 1", 1.5);
        tracker.observe(MAX_VIO, "r", "r/layer 2", 0.5);
        tracker.observe(MAX_VIO, "q", "q/layer 0", 1.5);
        now = T0.plusSeconds(120);
        tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5);

        assertThat(tracker.activeCounts()).containsOnly(
                entry(new AlertTracker.ActiveAlerts(7, "r", AlertState.FIRING), 1),
                entry(new AlertTracker.ActiveAlerts(7, "r", AlertState.PENDING), 1),
                entry(new AlertTracker.ActiveAlerts(7, "q", AlertState.PENDING), 1));
    }

    @Test
    void everyStepOfABreachJudgedOnALoadCarriesItsEvidenceAndSaysItInTheReason() {
        var evidence = new Evidence(4096, 0.35123);
        now = T0;
        tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5, evidence);
        now = T0.plusSeconds(120);
        var firing = tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5, evidence);

        assertThat(firing).extracting(AlertTransition::to, AlertTransition::reason, AlertTransition::evidence)
                .containsExactly(tuple(AlertState.FIRING, "max_vio above 1.0 for 120 s (4096 decisions; a balanced"
                        + " router's 95 % bound: 0.3512)", evidence));
    }

    @Test
    void aValuePastTheThresholdButWithinTheChanceBoundIsNoBreach() {
        assertThat(tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5, new Evidence(2, 3.0))).isEmpty();
        assertThat(tracker.state(7, "r/layer 0")).isEqualTo(AlertState.INACTIVE);
    }

    @Test
    void anAlertResolvedForLackOfDataCarriesTheEvidenceOfItsLastValue() {
        var evidence = new Evidence(512, 0.9);
        tracker.observe(MAX_VIO, "r", "r/layer 0", 1.5, evidence);

        assertThat(tracker.resolveUnobserved(MAX_VIO, Set.of(), run -> "gone"))
                .extracting(AlertTransition::to, AlertTransition::value, AlertTransition::evidence)
                .containsExactly(tuple(AlertState.RESOLVED, 1.5, evidence));
    }

    @Test
    void aRestoredAlertResolvesWithTheEvidenceOfItsStoredStep() {
        var evidence = new Evidence(2048, 0.42);
        tracker.restore(MAX_VIO, "r", "r/layer 0", AlertState.FIRING, Instant.EPOCH, 1.25, evidence);

        assertThat(tracker.resolveUnobserved(MAX_VIO, Set.of(), run -> "gone"))
                .extracting(AlertTransition::from, AlertTransition::to, AlertTransition::value,
                        AlertTransition::evidence)
                .containsExactly(tuple(AlertState.FIRING, AlertState.RESOLVED, 1.25, evidence));
    }
}
