package io.moescope.ingest.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.monitoring.LagHistory.Sample;
import io.moescope.ingest.monitoring.LagHistory.Trend;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LagHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final LagHistory history = new LagHistory(WINDOW);

    @Test
    void isUnknownUntilTheSamplesSpanAWholeWindow() {
        record(0, 100, 0);
        record(60, 200, 0);
        record(120, 300, 0);

        assertThat(history.trend(at(120))).isEqualTo(Trend.UNKNOWN);
    }

    @Test
    void lagThatRoseAtEverySampleOfAWindowIsFallingBehind() {
        for (int minute = 0; minute <= 5; minute++) {
            record(minute * 60, 1_000 + minute * 500L, minute * 10_000L);
        }

        assertThat(history.trend(at(300))).isEqualTo(Trend.FALLING_BEHIND);
    }

    @Test
    void lagThatWentDownOnceInTheWindowIsKeepingUp() {
        long[] lag = {1_000, 5_000, 2_000, 6_000, 7_000, 9_000};
        for (int minute = 0; minute <= 5; minute++) {
            record(minute * 60, lag[minute], minute * 10_000L);
        }

        assertThat(history.trend(at(300))).isEqualTo(Trend.KEEPING_UP);
    }

    @Test
    void committedOffsetsThatDidNotMoveWhileThereWasLagAreStalled() {
        for (int minute = 0; minute <= 5; minute++) {
            record(minute * 60, 400, 12_345);
        }

        assertThat(history.trend(at(300))).isEqualTo(Trend.STALLED);
    }

    @Test
    void anIdleGroupWithNothingToReadIsKeepingUp() {
        for (int minute = 0; minute <= 5; minute++) {
            record(minute * 60, 0, 12_345);
        }

        assertThat(history.trend(at(300))).isEqualTo(Trend.KEEPING_UP);
    }

    @Test
    void onlyTheLastWindowCounts() {
        record(0, 10_000, 0);
        record(60, 1_000, 1); // went down long ago
        for (int minute = 2; minute <= 8; minute++) {
            record(minute * 60, 1_000 + minute * 100L, minute * 100L);
        }

        assertThat(history.trend(at(480))).isEqualTo(Trend.FALLING_BEHIND);
    }

    private void record(int second, long lag, long committed) {
        history.record(new Sample(at(second), lag, committed));
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}
