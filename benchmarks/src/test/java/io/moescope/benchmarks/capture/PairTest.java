package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairTest {

    // off: 100 steps in 2 s wall, 1.6 s CPU: 20 ms and 16 ms per step
    private static final Round OFF = new Round(100, 2.0, 1.6, 0, 0);
    // on: 100 steps in 2.1 s wall, 1.62 s CPU on the generating thread (16.2 ms per step); delivery 0.02 s CPU over
    // 200 events (0.1 ms each)
    private static final Round ON = new Round(100, 2.1, 1.62, 0.02, 200);
    private static final Pair PAIR = new Pair(OFF, ON);

    @Test
    void wallOverheadIsTheExtraWallTimePerDecodeStep() {
        assertThat(PAIR.wallOverhead()).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void cpuOverheadAddsTheDeliveryThreadsShareOfOneEventToTheGeneratingThreadsCpu() {
        // (16.2 + 0.1) / 16 - 1
        assertThat(PAIR.cpuOverhead()).isCloseTo(0.01875, within(1e-12));
    }

    @Test
    void aRoundWithoutATimedDecodeStepIsRefused() {
        assertThatThrownBy(() -> new Round(0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a round needs at least one timed decode step");
    }
}
