package io.moescope.probe.checkpoint;

/**
 * The settings of gpt-oss's experts ({@code GptOssExperts}): a clamped GLU {@code (clamp(up) + 1) * g * sigmoid(alpha
 * * g)} with {@code g = min(gate, limit)} and {@code up} clamped to {@code [-limit, limit]}, stored stacked per layer,
 * in bfloat16/float or as released in MXFP4.
 *
 * @param swigluAlpha {@code swiglu_alpha}: the sigmoid's gain (1.702)
 * @param swigluLimit {@code swiglu_limit}: the clamp (7.0)
 * @param mxfp4       whether the expert matrices are MXFP4 {@code *_blocks} + {@code *_scales}
 *                    ({@code quantization_config.quant_method} "mxfp4") rather than {@code gate_up_proj} and
 *                    {@code down_proj} in a float type
 */
public record GptOssExperts(double swigluAlpha, double swigluLimit, boolean mxfp4) {

    public GptOssExperts {
        if (!(swigluAlpha > 0) || !(swigluLimit > 0)) {
            throw new IllegalArgumentException("swiglu_alpha and swiglu_limit must be positive but are " + swigluAlpha
                    + " and " + swigluLimit);
        }
    }
}
