package io.moescope.probe.checkpoint;

/**
 * How the rotary frequencies are scaled, as {@code rope_parameters} (transformers 5) or {@code rope_scaling} (4.x)
 * state it. {@link #NONE} is plain RoPE ({@code rope_type} "default"); {@link Type#YARN} is transformers'
 * {@code _compute_yarn_parameters}, computed by {@code io.moescope.probe.model.RopeFrequencies}.
 *
 * @param type                          the implemented {@code rope_type}
 * @param factor                        {@code factor}: how many times the context was stretched (1 for NONE)
 * @param originalMaxPositionEmbeddings {@code original_max_position_embeddings}: the pre-extension context the
 *                                      correction range is computed for (0 for NONE)
 * @param betaFast                      {@code beta_fast}: rotations at the fast end of the ramp (default 32)
 * @param betaSlow                      {@code beta_slow}: rotations at the slow end (default 1)
 * @param truncate                      {@code truncate}: whether the correction range is widened to whole dimensions
 *                                      (floor / ceil); gpt-oss ships false
 * @param attentionFactor               {@code attention_factor} as stated, or NaN when it is derived from the factor
 * @param mscale                        {@code mscale}, 0 when absent (transformers treats 0 and absent alike)
 * @param mscaleAllDim                  {@code mscale_all_dim}, 0 when absent
 */
public record RopeScaling(Type type, double factor, int originalMaxPositionEmbeddings, double betaFast,
                          double betaSlow, boolean truncate, double attentionFactor, double mscale,
                          double mscaleAllDim) {

    /** The implemented rope types, by their config spelling. */
    public enum Type {
        DEFAULT("default"),
        YARN("yarn");

        private final String configName;

        Type(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /** Plain RoPE: frequencies {@code theta^(-2i/d)}, cos and sin unscaled. */
    public static final RopeScaling NONE = new RopeScaling(Type.DEFAULT, 1, 0, 0, 0, true, Double.NaN, 0, 0);

    public RopeScaling {
        if (type == Type.YARN) {
            if (!(factor > 0) || originalMaxPositionEmbeddings < 1 || !(betaFast > 0) || !(betaSlow > 0)) {
                throw new IllegalArgumentException("yarn needs a positive factor, original_max_position_embeddings,"
                        + " beta_fast and beta_slow");
            }
        }
    }

    /** gpt-oss's YaRN: transformers' {@code GptOssConfig} default when a file names no rope parameters. */
    public static RopeScaling gptOssDefault() {
        return yarn(32, 4096, 32, 1, false);
    }

    /** YaRN with the attention factor derived from the factor (no attention_factor, mscale or mscale_all_dim). */
    public static RopeScaling yarn(double factor, int originalMaxPositionEmbeddings, double betaFast, double betaSlow,
                                   boolean truncate) {
        return new RopeScaling(Type.YARN, factor, originalMaxPositionEmbeddings, betaFast, betaSlow, truncate,
                Double.NaN, 0, 0);
    }
}
