package io.moescope.probe.reference;

/**
 * The plain-Java arithmetic every reference decoder is written with, in double: linear maps, RMSNorm, softmax and
 * top-k as the published equations state them. Shared by the references (they check the production code, not each
 * other); none of it calls production code.
 */
final class ReferenceMath {

    private ReferenceMath() {
    }

    /** y = W x for an HF weight W of shape [out, in], row-major. */
    static double[] linear(float[] w, double[] x, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += w[o * x.length + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    /** x / sqrt(mean(x^2) + eps) * weight. */
    static double[] rmsNorm(double[] x, float[] weight, double eps) {
        double sumSquares = 0;
        for (double v : x) {
            sumSquares += v * v;
        }
        double inverse = 1 / Math.sqrt(sumSquares / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inverse * weight[i];
        }
        return y;
    }

    /** exp(x - max) normalised. */
    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(x[i] - max);
            sum += y[i];
        }
        for (int i = 0; i < x.length; i++) {
            y[i] /= sum;
        }
        return y;
    }

    /** The k largest scores' indices, largest first; the lower index on ties. */
    static int[] topK(double[] scores, int k) {
        int[] chosen = new int[k];
        boolean[] taken = new boolean[scores.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int e = 0; e < scores.length; e++) {
                if (!taken[e] && (best < 0 || scores[e] > scores[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            chosen[r] = best;
        }
        return chosen;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
