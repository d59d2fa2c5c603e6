package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepOverheadTest {

    // A: captured step 10.5 ms wall, 10.2 ms CPU against 10 / 10; 2 captured steps (one unpaired), 20 ms CPU
    private static final AlternatingRound A = new AlternatingRound(true,
            List.of(new StepPair(0.0105, 0.0102, 0.0100, 0.0100)), 2, 0.02, 0.00004);
    // B: captured 9.9 ms wall, 10.1 ms CPU against 10 / 10; 2 captured steps, 20 ms CPU
    private static final AlternatingRound B = new AlternatingRound(false,
            List.of(new StepPair(0.0099, 0.0101, 0.0100, 0.0100)), 2, 0.02, 0.00002);
    // with every step captured, the delivery threads spent 0.6 ms CPU on 4 events while generation took 40 ms
    private static final StepOverhead STEPS = new StepOverhead(List.of(A, B), new DeliveryLoad(0.0006, 0.04, 4));

    @Test
    void aPairsOverheadIsTheCapturedStepsExtraTimeAsAShareOfTheUncapturedOne() {
        StepPair pair = new StepPair(0.0105, 0.0102, 0.0100, 0.0100);
        assertThat(pair.wallShare()).isCloseTo(0.05, within(1e-12));
        assertThat(pair.cpuShare()).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void theDeliveryShareIsTheDeliveryThreadsCpuOverTheGeneratingThreadsCpu() {
        // 0.6 ms over 40 ms; per token event 0.6 ms / 4
        assertThat(STEPS.delivery().share()).isCloseTo(0.015, within(1e-12));
        assertThat(STEPS.delivery().cpuPerEvent()).isCloseTo(0.00015, within(1e-15));
    }

    @Test
    void theCpuFigureOfAPairAddsItsRoundsDeliveryShareToTheGeneratingThreadsShare() {
        // A: 0.02 + 0.015, B: 0.01 + 0.015; median of two is their mean
        assertThat(STEPS.cpu().median()).isCloseTo(0.03, within(1e-12));
        assertThat(STEPS.generatingCpu().median()).isCloseTo(0.015, within(1e-12));
    }

    @Test
    void theWallFigureIsTheMedianOfThePairsWallShares() {
        // 0.05 and -0.01
        assertThat(STEPS.wall().median()).isCloseTo(0.02, within(1e-12));
        assertThat(STEPS.wall().n()).isEqualTo(2);
    }

    @Test
    void theRatiosOfSumsAreTheTotalExtraOverTheTotalUncapturedTimeTheCpuOnePlusDelivery() {
        // wall: (0.5 - 0.1) ms over 20 ms; CPU: (0.2 + 0.1) ms over 20 ms, plus 1.5 % delivery
        assertThat(STEPS.wallSum().value()).isCloseTo(0.02, within(1e-12));
        assertThat(STEPS.cpuSum().value()).isCloseTo(0.03, within(1e-12));
    }

    @Test
    void decodeSpeedAndDirectCaptureAreOverThePairsAndTheCapturedSteps() {
        assertThat(STEPS.tokensPerSecond(false)).isCloseTo(100, within(1e-9));
        assertThat(STEPS.tokensPerSecond(true)).isCloseTo(2 / 0.0204, within(1e-9));
        // 0.06 ms over 4 captured steps
        assertThat(STEPS.directCapturePerStep()).isCloseTo(0.000015, within(1e-15));
        assertThat(STEPS.medianPlainWall()).isCloseTo(0.01, within(1e-15));
    }

    @Test
    void roundsWithoutAnyPairAreRefused() {
        var unpaired = new AlternatingRound(true, List.of(), 1, 0.01, 0);
        assertThatThrownBy(() -> new StepOverhead(List.of(unpaired), new DeliveryLoad(0, 1, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no captured/uncaptured step pairs to compare");
    }

    @Test
    void aStepWithoutTimeIsRefused() {
        assertThatThrownBy(() -> new StepPair(0.01, 0.01, 0, 0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a timed step takes some wall and CPU time");
    }
}
