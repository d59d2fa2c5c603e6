package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timer's spans and pairs, from scripted clock readings (wall ns, CPU ns), one reading per callback. */
class StepPairTimerTest {

    private final ArrayDeque<long[]> readings = new ArrayDeque<>();
    private final StepPairTimer timer = new StepPairTimer(new StepClock() {
        @Override
        public long wallNanos() {
            return readings.peek()[0];
        }

        @Override
        public long cpuNanos() {
            return readings.poll()[1];
        }
    });

    @Test
    void aCapturedStepRunsFromThePreviousStepsEndToTheSinkHavingTakenItsEvent() {
        read(1_000, 500);
        timer.stepTimed("a", Phase.PREFILL, 3, 0);
        decodeStep("a", 3, true, new long[] {3_000, 2_000}, new long[] {3_100, 2_080});
        decodeStep("a", 4, false, new long[] {5_100, 3_580});
        decodeStep("a", 5, true, new long[] {7_200, 5_100}, new long[] {7_300, 5_180});
        decodeStep("a", 6, false, new long[] {9_300, 6_780});
        decodeStep("a", 7, true, new long[] {11_300, 8_300}, new long[] {11_400, 8_380});
        timer.requestFinished("a", 3, 5);

        AlternatingRound round = timer.round(true);

        // step 0: 1,000 -> 3,100 wall, 500 -> 2,080 CPU; step 1: 3,100 -> 5,100, 2,080 -> 3,580
        // step 2: 5,100 -> 7,300, 3,580 -> 5,180; step 3: 7,300 -> 9,300, 5,180 -> 6,780; step 4 has no neighbour
        assertThat(round.pairs()).containsExactly(new StepPair(2_100e-9, 1_580e-9, 2_000e-9, 1_500e-9),
                new StepPair(2_200e-9, 1_600e-9, 2_000e-9, 1_600e-9));
        assertThat(round.capturedSteps()).isEqualTo(3);
        // steps 0, 2 and 4: 1,580 + 1,600 + (8,380 - 6,780)
        assertThat(round.capturedCpuSeconds()).isCloseTo(4_780e-9, within(1e-18));
        // 80 ns from each captured step's forward pass to its event taken
        assertThat(round.directCaptureSeconds()).isCloseTo(240e-9, within(1e-18));
        assertThat(round.firstDecodeStepCaptured()).isTrue();
    }

    @Test
    void aRequestsUnpairedLastStepIsNotPairedWithTheNextRequestsFirst() {
        read(0, 0);
        timer.stepTimed("a", Phase.PREFILL, 3, 0);
        decodeStep("a", 3, true, new long[] {100, 100}, new long[] {110, 110});
        timer.requestFinished("a", 3, 1);
        read(200, 200);
        timer.stepTimed("b", Phase.PREFILL, 2, 0);
        decodeStep("b", 2, false, new long[] {300, 300});
        decodeStep("b", 3, true, new long[] {420, 420}, new long[] {430, 430});
        timer.requestFinished("b", 2, 2);

        // b's step 0 (200 -> 300) is uncaptured, its step 1 (300 -> 430) captured
        assertThat(timer.round(false).pairs()).containsExactly(new StepPair(130e-9, 130e-9, 100e-9, 100e-9));
    }

    @Test
    void twoCapturedNeighboursAreRefused() {
        read(0, 0);
        timer.stepTimed("a", Phase.PREFILL, 3, 0);
        decodeStep("a", 3, true, new long[] {100, 100}, new long[] {110, 110});
        decodeStep("a", 4, true, new long[] {200, 200}, new long[] {210, 210});

        assertThatThrownBy(() -> timer.requestFinished("a", 3, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("decode steps 0 and 1 of request a were both captured; a run with alternating capture "
                        + "captures one of each pair");
    }

    private void decodeStep(String request, int tokenIndex, boolean captured, long[]... stepReadings) {
        for (long[] r : stepReadings) {
            readings.add(r);
        }
        timer.stepTimed(request, Phase.DECODE, 1, 0);
        if (captured) {
            timer.tokenRouted(new TokenRouting("run", request, tokenIndex, 7, Phase.DECODE, 0,
                    List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 0.5f))));
        }
    }

    private void read(long wall, long cpu) {
        readings.add(new long[] {wall, cpu});
    }
}
