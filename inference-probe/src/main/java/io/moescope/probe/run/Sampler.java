package io.moescope.probe.run;

import java.util.Arrays;
import java.util.Random;

/** Picks next tokens for one request by {@link Sampling}: argmax, or temperature + top-p with a seeded generator. */
final class Sampler {

    private final Sampling sampling;
    private final Random random;

    Sampler(Sampling sampling, String requestId) {
        this.sampling = sampling;
        this.random = new Random(sampling.seed() * 31 + requestId.hashCode());
    }

    /** @param logits {@code [vocab]} next-token logits */
    int next(float[] logits) {
        if (sampling.greedy()) {
            return argmax(logits);
        }
        int n = logits.length;
        double max = logits[argmax(logits)];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((logits[i] - max) / sampling.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            p[i] /= sum;
        }
        // Highest probability first, lower id on ties, so the nucleus is well defined.
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        double kept = 0;
        int size = 0;
        while (size < n && (size == 0 || kept < sampling.topP())) {
            kept += p[order[size++]];
        }
        double u = random.nextDouble() * kept;
        for (int r = 0; r < size; r++) {
            u -= p[order[r]];
            if (u < 0) {
                return order[r];
            }
        }
        return order[size - 1];
    }

    /** The highest logit, the lowest id on a tie. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
