package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rule from the API or the Alerts form: its window and for-duration are bounded. A rule whose window reached past
 * the earliest instant once made every evaluation fail ("Instant exceeds minimum or maximum instant"), for every
 * rule and run, twice a second; a long window keeps its 1 s buckets in memory for every live run.
 */
class AlertRuleRequestTest {

    private static AlertRuleRequest timing(Long windowSeconds, Long forSeconds) {
        return new AlertRuleRequest("r", "cv", null, null, null, null, 1.0, null, windowSeconds, forSeconds, null);
    }

    @Test
    void aWindowOfAnHourAndAForDurationOfADayAreAccepted() {
        var rule = timing(3600L, 86_400L).toRule(0);
        assertThat(rule.window()).isEqualTo(Duration.ofHours(1));
        assertThat(rule.forDuration()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aWindowAboveAnHourIsRefusedNamingTheFieldAndTheBound() {
        assertThatThrownBy(() -> timing(9_223_372_036_854_775_807L, null).toRule(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("windowSeconds: must be between 1 and 3600 (its 1 s buckets are held in memory for every "
                        + "live run) but was 9223372036854775807");
    }

    @Test
    void aWindowBelowOneSecondIsRefusedNamingTheFieldAndTheBound() {
        assertThatThrownBy(() -> timing(0L, null).toRule(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("windowSeconds: must be between 1 and 3600");
    }

    @Test
    void aForDurationAboveADayIsRefusedNamingTheFieldAndTheBound() {
        assertThatThrownBy(() -> timing(null, 86_401L).toRule(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("forSeconds: must be between 0 and 86400 but was 86401");
    }

    @Test
    void aNegativeForDurationIsRefusedNamingTheField() {
        assertThatThrownBy(() -> timing(null, -1L).toRule(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("forSeconds: must be between 0 and 86400 but was -1");
    }
}
