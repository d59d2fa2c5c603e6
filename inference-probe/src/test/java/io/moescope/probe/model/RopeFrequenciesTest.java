package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.probe.checkpoint.RopeScaling;
import org.junit.jupiter.api.Test;

/**
 * YaRN for head_dim 8, theta 10000, factor 4, original context 64, beta_fast 8, beta_slow 1, worked by hand:
 * plain frequencies {@code 10000^(-2i/8)} = 1, 0.1, 0.01, 0.001; correction dimensions
 * {@code 8 ln(64 / (2 pi beta)) / (2 ln 10000)} = 0.104910 (beta 8) and 1.008000 (beta 1); frequency {@code i} is
 * {@code f_i (1 - r_i) + f_i / 4 * r_i} with the ramp {@code r_i = clamp((i - low) / (high - low), 0, 1)}.
 */
class RopeFrequenciesTest {

    private static RopeScaling yarn(boolean truncate) {
        return RopeScaling.yarn(4, 64, 8, 1, truncate);
    }

    @Test
    void plainRopeIsThetaToTheMinusTwoIOverD() {
        var f = RopeFrequencies.of(8, 10000, RopeScaling.NONE);
        assertThat(f.inverse()).containsExactly(new double[] {1, 0.1, 0.01, 0.001}, within(1e-15));
        assertThat(f.attentionFactor()).isEqualTo(1.0);
    }

    /** Truncated: low = floor(0.1049) = 0, high = ceil(1.008) = 2, so r = 0, 0.5, 1, 1. */
    @Test
    void truncatedYarnRampsOverWholeDimensions() {
        var f = RopeFrequencies.of(8, 10000, yarn(true));
        assertThat(f.inverse()).containsExactly(new double[] {1, 0.0625, 0.0025, 0.00025}, within(1e-15));
        // 0.1 ln 4 + 1
        assertThat(f.attentionFactor()).isCloseTo(1.1386294361119891, within(1e-15));
    }

    /**
     * Not truncated (gpt-oss): r_1 = (1 - 0.104910) / (1.008000 - 0.104910) = 0.991136, so
     * f_1 = 0.1 (1 - 0.991136) + 0.025 * 0.991136 = 0.0256644; r_0 = 0 and r_2, r_3 = 1 as before.
     */
    @Test
    void untruncatedYarnRampsOverTheExactCorrectionRange() {
        var f = RopeFrequencies.of(8, 10000, yarn(false));
        assertThat(f.inverse()).containsExactly(new double[] {1, 0.0256644, 0.0025, 0.00025}, within(1e-7));
        assertThat(f.inverse()[1]).isNotCloseTo(RopeFrequencies.of(8, 10000, yarn(true)).inverse()[1], within(0.01));
    }

    /** DeepSeek's form: get_mscale(4, 1) / get_mscale(4, 0.5) = (0.1 ln 4 + 1) / (0.05 ln 4 + 1). */
    @Test
    void mscaleAndMscaleAllDimSetTheAttentionFactorAsTheirRatio() {
        var s = new RopeScaling(RopeScaling.Type.YARN, 4, 64, 8, 1, true, Double.NaN, 1, 0.5);
        assertThat(RopeFrequencies.of(8, 10000, s).attentionFactor()).isCloseTo(1.0648216253695715, within(1e-15));
        var equal = new RopeScaling(RopeScaling.Type.YARN, 4, 64, 8, 1, true, Double.NaN, 0.707, 0.707);
        assertThat(RopeFrequencies.of(8, 10000, equal).attentionFactor()).isEqualTo(1.0);
        var stated = new RopeScaling(RopeScaling.Type.YARN, 4, 64, 8, 1, true, 0.5, 1, 0.5);
        assertThat(RopeFrequencies.of(8, 10000, stated).attentionFactor()).isEqualTo(0.5);
    }
}
