package io.moescope.probe.model;

import io.moescope.probe.checkpoint.RopeScaling;

/**
 * The rotary inverse frequencies of a head and the factor cos and sin are multiplied by, for any architecture: plain
 * RoPE ({@code theta^(-2i/d)}, factor 1) or YaRN as transformers' {@code _compute_yarn_parameters} computes it. YaRN
 * blends, per frequency, the original ("extrapolated") frequency with the one divided by {@code factor}
 * ("interpolated"), by a linear ramp over the dimensions between the correction range that {@code beta_fast} and
 * {@code beta_slow} rotations over {@code original_max_position_embeddings} give; {@code truncate} widens that range to
 * whole dimensions. The attention factor is {@code attention_factor} when stated, else
 * {@code get_mscale(factor, mscale) / get_mscale(factor, mscale_all_dim)} when both are set, else
 * {@code 0.1 ln(factor) + 1}. (DeepSeek additionally scales its softmax by an mscale of its own; that belongs to its
 * attention, {@link LatentSoftmaxScale}, which takes {@link #mscale} from here.)
 *
 * @param inverse         {@code [d/2]} inverse frequencies
 * @param attentionFactor what cos and sin are multiplied by
 */
public record RopeFrequencies(double[] inverse, double attentionFactor) {

    public RopeFrequencies {
        inverse = inverse.clone();
    }

    @Override
    public double[] inverse() {
        return inverse.clone();
    }

    /**
     * @param dim     the rotated width of a head (even)
     * @param theta   the rotary base
     * @param scaling the config's scaling
     */
    public static RopeFrequencies of(int dim, double theta, RopeScaling scaling) {
        double[] extrapolated = new double[dim / 2];
        for (int i = 0; i < extrapolated.length; i++) {
            extrapolated[i] = 1.0 / Math.pow(theta, (2.0 * i) / dim);
        }
        return switch (scaling.type()) {
            case DEFAULT -> new RopeFrequencies(extrapolated, 1.0);
            case YARN -> yarn(dim, theta, scaling, extrapolated);
        };
    }

    private static RopeFrequencies yarn(int dim, double theta, RopeScaling s, double[] extrapolated) {
        double factor = s.factor();
        double low = correctionDimension(s.betaFast(), dim, theta, s.originalMaxPositionEmbeddings());
        double high = correctionDimension(s.betaSlow(), dim, theta, s.originalMaxPositionEmbeddings());
        if (s.truncate()) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001; // transformers' guard against a zero-width ramp
        }
        double[] inverse = new double[extrapolated.length];
        for (int i = 0; i < inverse.length; i++) {
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            // below the range (fast rotations) keep the original frequency, above it (slow) interpolate fully
            double extrapolation = 1 - ramp;
            inverse[i] = extrapolated[i] / factor * (1 - extrapolation) + extrapolated[i] * extrapolation;
        }
        return new RopeFrequencies(inverse, attentionFactor(s));
    }

    /** The dimension whose wavelength fits {@code rotations} times into {@code positions}. */
    private static double correctionDimension(double rotations, int dim, double theta, int positions) {
        return dim * Math.log(positions / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }

    private static double attentionFactor(RopeScaling s) {
        if (!Double.isNaN(s.attentionFactor())) {
            return s.attentionFactor();
        }
        if (s.mscale() != 0 && s.mscaleAllDim() != 0) {
            return mscale(s.factor(), s.mscale()) / mscale(s.factor(), s.mscaleAllDim());
        }
        return mscale(s.factor(), 1);
    }

    /** YaRN's {@code get_mscale}: {@code 0.1 * m * ln(scale) + 1}, and 1 for no stretch. */
    public static double mscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }
}
