package io.moescope.benchmarks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesOfTwentyCallsAreTheTenthAndNineteenthFastest() {
        double[] millis = new double[20];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = 20 - i; // 20, 19, ..., 1: unsorted on purpose
        }
        var latencies = new Latencies(millis);

        assertThat(latencies.p50()).isEqualTo(10.0);
        assertThat(latencies.p95()).isEqualTo(19.0);
        assertThat(latencies.calls()).isEqualTo(20);
    }

    @Test
    void withFiveCallsTheMedianIsTheThirdAndP95TheSlowest() {
        var latencies = new Latencies(new double[] {4, 1, 5, 2, 3});

        assertThat(latencies.p50()).isEqualTo(3.0);
        assertThat(latencies.p95()).isEqualTo(5.0);
    }

    @Test
    void oneCallIsEveryPercentile() {
        var latencies = new Latencies(new double[] {7});

        assertThat(latencies.p50()).isEqualTo(7.0);
        assertThat(latencies.p95()).isEqualTo(7.0);
    }

    @Test
    void noCallsHaveNoPercentiles() {
        assertThatThrownBy(() -> new Latencies(new double[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one call is needed for percentiles");
    }
}
