package io.moescope.analytics.warmup;

import io.moescope.analytics.drift.JensenShannon;
import java.util.List;
import java.util.OptionalInt;

/**
 * Stabilisation point of one layer's load distribution (moescope's definition, docs/metrics.md "Expert-cache warm-up
 * and cold starts"): the first token index s such that, for every window start s' &gt;= s, the Jensen-Shannon
 * divergence (natural log, bounded by ln 2) between the load of the window of W tokens [s', s' + W) and the load
 * of the rest of the sequence (all tokens outside that window) is below the threshold. Loads are the hard counts
 * c_i of the top-k ids. Windows slide one token at a time; O(T x N) time, O(N) memory besides the input.
 */
public final class StabilisationPoint {

    private StabilisationPoint() {
    }

    /**
     * @param sequence      one layer's top-k ids per token, in token order
     * @param numExperts    N
     * @param window        W &gt;= 1 tokens
     * @param thresholdNats JSD threshold in nats, in (0, ln 2]
     * @return the token index s, or empty when the sequence has no more than W tokens (no rest to compare with)
     *         or the last window is not below the threshold
     */
    public static OptionalInt find(List<int[]> sequence, int numExperts, int window, double thresholdNats) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 token but was " + window);
        }
        if (!(thresholdNats > 0 && thresholdNats <= Math.log(2))) {
            throw new IllegalArgumentException("threshold must be in (0, ln 2] nats but was " + thresholdNats);
        }
        int tokens = sequence.size();
        if (tokens <= window) {
            return OptionalInt.empty();
        }
        double[] total = new double[numExperts];
        double[] inWindow = new double[numExperts];
        for (int t = 0; t < tokens; t++) {
            for (int id : checked(sequence.get(t), numExperts, t)) {
                total[id]++;
                if (t < window) {
                    inWindow[id]++;
                }
            }
        }
        int lastStart = tokens - window;
        boolean[] below = new boolean[lastStart + 1];
        double[] rest = new double[numExperts];
        for (int s = 0; s <= lastStart; s++) {
            if (s > 0) {
                // slide: token s - 1 leaves the window, token s + W - 1 enters
                for (int id : sequence.get(s - 1)) {
                    inWindow[id]--;
                }
                for (int id : sequence.get(s + window - 1)) {
                    inWindow[id]++;
                }
            }
            for (int i = 0; i < numExperts; i++) {
                rest[i] = total[i] - inWindow[i];
            }
            below[s] = JensenShannon.nats(inWindow, rest) < thresholdNats;
        }
        int stable = -1;
        for (int s = lastStart; s >= 0 && below[s]; s--) {
            stable = s;
        }
        return stable < 0 ? OptionalInt.empty() : OptionalInt.of(stable);
    }

    private static int[] checked(int[] ids, int numExperts, int token) {
        for (int id : ids) {
            if (id < 0 || id >= numExperts) {
                throw new IllegalArgumentException("token " + token + ": expert id " + id + " out of range for "
                        + numExperts + " experts");
            }
        }
        return ids;
    }
}
