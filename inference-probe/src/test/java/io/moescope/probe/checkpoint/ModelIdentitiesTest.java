package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import org.junit.jupiter.api.Test;

class ModelIdentitiesTest {

    /** Mixtral-8x7B-v0.1's config.json values. */
    private static final MoeConfig MIXTRAL_8X7B = new MoeConfig("MixtralForCausalLM", 4096, 14336, 32, 32, 8, 128,
            8, 2, 32000, 1e-5, 1e6, 32768, false, 1, 2);

    @Test
    void totalParametersOfMixtral8x7bAreThePublished46_7Billion() {
        // 46,702,792,704 is the parameter count HF reports for mistralai/Mixtral-8x7B-v0.1.
        assertThat(ModelIdentities.of("mixtral", MIXTRAL_8X7B).totalParameters()).isEqualTo(46_702_792_704L);
    }

    @Test
    void activeParametersOfMixtral8x7bLeaveOutSixUnchosenExpertsPerLayer() {
        long sixExpertsPerLayer = 32L * 6 * 3 * 4096 * 14336;
        ModelIdentity identity = ModelIdentities.of("mixtral", MIXTRAL_8X7B);
        assertThat(identity.activeParameters()).isEqualTo(46_702_792_704L - sixExpertsPerLayer)
                .isEqualTo(12_879_925_248L);
    }

    @Test
    void everyMixtralLayerIsAMoeLayer() {
        ModelIdentity identity = ModelIdentities.of("mixtral", MIXTRAL_8X7B);
        assertThat(identity.moeLayers()).hasSize(32).startsWith(0, 1).endsWith(31);
        assertThat(identity.numExperts()).isEqualTo(8);
        assertThat(identity.topK()).isEqualTo(2);
        assertThat(identity.architecture()).isEqualTo("MixtralForCausalLM");
    }

    @Test
    void aTiedLmHeadIsCountedOnce() {
        var tied = new MoeConfig("MixtralForCausalLM", 4096, 14336, 32, 32, 8, 128, 8, 2, 32000, 1e-5, 1e6, 32768,
                true, 1, 2);
        assertThat(ModelIdentities.of("tied", tied).totalParameters()).isEqualTo(46_702_792_704L - 32000L * 4096);
    }
}
