package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The softmax scale of DeepSeek's latent attention (transformers' {@code DeepseekV3Attention.__init__}, DeepSeek's own
 * {@code MLA}): {@code qk_head_dim^-0.5}, and with a scaled RoPE whose parameters hold {@code mscale_all_dim}, times
 * {@code mscale^2} where {@code mscale = 0.1 * mscale_all_dim * ln(factor) + 1}. YaRN's frequencies and its cos/sin
 * factor belong to the RoPE; this extra factor on the scores is DeepSeek's own, so it lives here.
 */
public final class LatentSoftmaxScale {

    private LatentSoftmaxScale() {
    }

    /**
     * @param qkHeadDim      {@code qk_nope_head_dim + qk_rope_head_dim}
     * @param ropeParameters {@code rope_parameters} (or a legacy {@code rope_scaling}), null when the file has none
     */
    public static double of(int qkHeadDim, JsonNode ropeParameters) {
        double scale = 1 / Math.sqrt(qkHeadDim);
        if (ropeParameters == null || !ropeParameters.isObject()) {
            return scale;
        }
        JsonNode type = ropeParameters.hasNonNull("rope_type") ? ropeParameters.get("rope_type")
                : ropeParameters.get("type");
        double mscaleAllDim = ropeParameters.path("mscale_all_dim").asDouble(0);
        if (type == null || type.asText("default").equals("default") || mscaleAllDim == 0) {
            return scale;
        }
        double m = mscale(ropeParameters.path("factor").asDouble(1), mscaleAllDim);
        return scale * m * m;
    }

    /** transformers' {@code yarn_get_mscale}: 1 for a factor of at most 1, else {@code 0.1 * mscale * ln(factor) + 1}. */
    static double mscale(double factor, double mscale) {
        return factor <= 1 ? 1 : 0.1 * mscale * Math.log(factor) + 1;
    }
}
