package io.moescope.probe.model;

import io.moescope.probe.checkpoint.RopeScaling;

/**
 * The softmax scale of DeepSeek's latent attention (transformers' {@code DeepseekV3Attention.__init__}, DeepSeek's own
 * {@code MLA}): {@code qk_head_dim^-0.5}, and under YaRN with {@code mscale_all_dim} set, times {@code mscale^2} where
 * {@code mscale = get_mscale(factor, mscale_all_dim)}. YaRN's frequencies and its cos/sin factor belong to the RoPE
 * ({@link RopeFrequencies}); this extra factor on the scores is DeepSeek's own, so it lives beside its attention, with
 * the one {@link RopeFrequencies#mscale}.
 */
final class LatentSoftmaxScale {

    private LatentSoftmaxScale() {
    }

    /**
     * @param qkHeadDim {@code qk_nope_head_dim + qk_rope_head_dim}
     * @param scaling   the config's RoPE scaling ({@link RopeScaling#NONE} for plain RoPE)
     */
    static double of(int qkHeadDim, RopeScaling scaling) {
        double scale = 1 / Math.sqrt(qkHeadDim);
        // transformers reads mscale_all_dim for any rope type but default; YaRN is the only other one implemented
        if (scaling.type() == RopeScaling.Type.DEFAULT || scaling.mscaleAllDim() == 0) {
            return scale;
        }
        double m = RopeFrequencies.mscale(scaling.factor(), scaling.mscaleAllDim());
        return scale * m * m;
    }
}
