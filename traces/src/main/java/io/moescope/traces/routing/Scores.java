package io.moescope.traces.routing;

import io.moescope.analytics.collapse.ShannonEntropy;

/** The elementwise functions of the router rules, in double precision. */
final class Scores {

    private Scores() {
    }

    /** The logits as doubles, refused unless there are {@code n} finite ones. */
    static double[] checked(float[] logits, int n) {
        if (logits.length != n) {
            throw new IllegalArgumentException(logits.length + " logits but the router has " + n + " experts");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException("non-finite logit " + logits[i] + " for expert " + i);
            }
            values[i] = logits[i];
        }
        return values;
    }

    /** Softmax, shifted by the maximum so that no exponent overflows. */
    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < x.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] sigmoid(double[] x) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = 1 / (1 + Math.exp(-x[i]));
        }
        return s;
    }

    /** Entropy of {@code x / sum(x)} for non-negative {@code x}. */
    static double normalisedEntropy(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] / sum;
        }
        return ShannonEntropy.nats(p);
    }
}
