package io.moescope.probe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void anOddNumberOfRoundsHasTheMiddleValueAsMedianAndTheExtremesAsRange() {
        assertThat(Spread.of(List.of(0.03, -0.01, 0.02))).isEqualTo(new Spread(0.02, -0.01, 0.03));
    }

    @Test
    void anEvenNumberOfRoundsHasTheMeanOfTheTwoMiddleValuesAsMedian() {
        assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(new Spread(2.5, 1.0, 4.0));
    }

    @Test
    void noRoundsIsRefused() {
        assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no rounds to summarise");
    }
}
