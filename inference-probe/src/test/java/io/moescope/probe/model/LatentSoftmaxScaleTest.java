package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.probe.checkpoint.RopeScaling;
import org.junit.jupiter.api.Test;

/** DeepSeek's extra factor on the scores under YaRN: (0.1 * mscale_all_dim * ln(factor) + 1)^2. */
class LatentSoftmaxScaleTest {

    private static final double BASE = 1 / Math.sqrt(192);

    private static RopeScaling yarn(double mscale, double mscaleAllDim) {
        return new RopeScaling(RopeScaling.Type.YARN, 40, 4096, 32, 1, true, Double.NaN, mscale, mscaleAllDim);
    }

    @Test
    void theReleasedV3YarnSquaresItsMscaleAllDim() {
        // ln(40) = 3.688879454; mscale = 1.3688879454, squared 1.8738541
        assertThat(LatentSoftmaxScale.of(192, yarn(1.0, 1.0))).isCloseTo(BASE * 1.8738541, within(1e-8));
    }

    @Test
    void theReleasedV2LiteYarnSquaresItsMscaleAllDimAlone() {
        double m = 0.1 * 0.707 * Math.log(40) + 1;
        assertThat(LatentSoftmaxScale.of(192, yarn(0.707, 0.707))).isCloseTo(BASE * m * m, within(1e-15));
        // mscale scales cos and sin (RopeFrequencies), not the scores
        assertThat(LatentSoftmaxScale.of(192, yarn(1.0, 0.707))).isCloseTo(BASE * m * m, within(1e-15));
    }

    @Test
    void withoutMscaleAllDimOrYarnTheScaleIsTheInverseRootOfTheHeadWidth() {
        assertThat(LatentSoftmaxScale.of(192, yarn(1.0, 0))).isEqualTo(BASE);
        assertThat(LatentSoftmaxScale.of(192, RopeScaling.NONE)).isEqualTo(BASE);
        assertThat(LatentSoftmaxScale.of(192, new RopeScaling(RopeScaling.Type.YARN, 1, 4096, 32, 1, true,
                Double.NaN, 1, 1))).isEqualTo(BASE);
    }
}
