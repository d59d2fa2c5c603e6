package io.moescope.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertTransition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertStatesTest {

    private static AlertTransition step(long rule, String subject, AlertState from, AlertState to, int second) {
        return new AlertTransition(rule, "rule " + rule, subject, from, to, 1.0, Instant.ofEpochSecond(second));
    }

    @Test
    void anAlertFiresWhileItsLatestStepIsFiring() {
        var stillFiring = step(1, "run/layer 0", AlertState.PENDING, AlertState.FIRING, 20);
        var history = List.of(  // newest first
                stillFiring,
                step(1, "run/layer 1", AlertState.FIRING, AlertState.RESOLVED, 15),
                step(1, "run/layer 0", AlertState.INACTIVE, AlertState.PENDING, 10),
                step(1, "run/layer 1", AlertState.PENDING, AlertState.FIRING, 5));

        assertThat(AlertStates.firing(history)).containsExactly(stillFiring);
    }

    @Test
    void theSameSubjectUnderTwoRulesIsTwoAlerts() {
        var a = step(1, "run/layer 0", AlertState.PENDING, AlertState.FIRING, 2);
        var b = step(2, "run/layer 0", AlertState.PENDING, AlertState.FIRING, 1);

        assertThat(AlertStates.firing(List.of(a, b))).containsExactly(a, b);
    }
}
