package io.moescope.benchmarks.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepTimeTest {

    @Test
    void theMedianOfAnOddCountTakesWallAndCpuEachFromItsMiddleValue() {
        // wall sorted 0.1, 0.2, 0.9; CPU sorted 0.05, 0.3, 0.4: the middle of each, from different repeats
        StepTime m = StepTime.median(List.of(new StepTime(0.9, 0.05), new StepTime(0.1, 0.4),
                new StepTime(0.2, 0.3)));
        assertThat(m).isEqualTo(new StepTime(0.2, 0.3));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        StepTime m = StepTime.median(List.of(new StepTime(4, 40), new StepTime(1, 10), new StepTime(3, 30),
                new StepTime(2, 20)));
        assertThat(m).isEqualTo(new StepTime(2.5, 25));
    }

    @Test
    void aTimeOverNStepsIsTheTimePerStep() {
        assertThat(new StepTime(6.4, 3.2).per(64)).isEqualTo(new StepTime(0.1, 0.05));
    }

    @Test
    void noTimesAreRefused() {
        assertThatThrownBy(() -> StepTime.median(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no times to take the median of");
    }
}
