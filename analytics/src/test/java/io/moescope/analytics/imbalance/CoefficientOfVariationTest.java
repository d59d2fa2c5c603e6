package io.moescope.analytics.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class CoefficientOfVariationTest {

    @Test
    void cvIsZeroWhenEveryExpertGetsTheSameLoad() {
        assertThat(CoefficientOfVariation.of(new ExpertLoad(0, new long[] {5, 5, 5, 5}))).isZero();
    }

    @Test
    void cvIsThePopulationStandardDeviationOverTheMean() {
        // c = (6, 2, 0, 0), m = 2, squared deviations 16 + 0 + 4 + 4 = 24, / N = 6, sqrt 6 / 2 = 1.2247448714
        assertThat(CoefficientOfVariation.of(new ExpertLoad(0, new long[] {6, 2, 0, 0})))
                .isCloseTo(1.2247448714, within(1e-9));
    }

    @Test
    void cvSatisfiesTheIdentityNTimesSumOfSquaredSharesEqualsOnePlusCvSquared() {
        // p = (0.75, 0.25, 0, 0): N sum p^2 = 4 * 0.625 = 2.5 = 1 + CV^2, so CV^2 = 1.5
        double cv = CoefficientOfVariation.of(new ExpertLoad(0, new long[] {6, 2, 0, 0}));
        assertThat(cv * cv).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void cvOfASingleExpertLayerIsZero() {
        assertThat(CoefficientOfVariation.of(new ExpertLoad(0, new long[] {7}))).isZero();
    }

    @Test
    void cvOfAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> CoefficientOfVariation.of(new ExpertLoad(2, new long[] {0, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CV is undefined for layer 2: no routed tokens");
    }
}
