package io.moescope.analytics.warmup;

import java.util.OptionalInt;

/**
 * Hit rate vs token index (the warm-up curve of an expert cache, mixtral-offloading arXiv:2312.17238) and the
 * token index at which it settles.
 */
public final class HitRateCurve {

    private HitRateCurve() {
    }

    /** cumulative[t] = hits of tokens 0..t / ((t + 1) k). Empty for an empty trace. */
    public static double[] cumulative(CacheTrace trace) {
        double[] curve = new double[trace.tokens()];
        long hits = 0;
        for (int t = 0; t < curve.length; t++) {
            hits += trace.hitsAt(t);
            curve[t] = (double) hits / ((long) (t + 1) * trace.topK());
        }
        return curve;
    }

    /**
     * windowed[t] = hit rate of the last {@code window} tokens ending at t: tokens max(0, t - W + 1)..t (a shorter
     * window at the start, so the curve has one point per token).
     *
     * @throws IllegalArgumentException when window &lt; 1
     */
    public static double[] windowed(CacheTrace trace, int window) {
        requireWindow(window);
        double[] curve = new double[trace.tokens()];
        long hits = 0;
        for (int t = 0; t < curve.length; t++) {
            hits += trace.hitsAt(t);
            if (t >= window) {
                hits -= trace.hitsAt(t - window);
            }
            int inWindow = Math.min(t + 1, window);
            curve[t] = (double) hits / ((long) inWindow * trace.topK());
        }
        return curve;
    }

    /**
     * Settling point. Rule: the reference is the hit rate over the second half of the sequence (tokens T/2..T-1,
     * past the cold start); the curve has settled at the first token index t &gt;= W - 1 from which the full-window
     * hit rate (last W tokens ending at t') stays within {@code tolerance} of the reference for every t' &gt;= t.
     *
     * @return the token index, or empty when the sequence is shorter than 2W (too short to tell a warm-up from a
     *         steady state) or the last window is itself off the reference by more than the tolerance
     * @throws IllegalArgumentException when window &lt; 1 or tolerance &lt; 0
     */
    public static OptionalInt settlingIndex(CacheTrace trace, int window, double tolerance) {
        requireWindow(window);
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0 but was " + tolerance);
        }
        int tokens = trace.tokens();
        if (tokens < 2 * window) {
            return OptionalInt.empty();
        }
        double reference = rate(trace, tokens / 2, tokens);
        double[] curve = windowed(trace, window);
        int settled = -1;
        // Walk backwards: the answer is the start of the final run of in-tolerance windows.
        for (int t = tokens - 1; t >= window - 1; t--) {
            if (Math.abs(curve[t] - reference) > tolerance) {
                break;
            }
            settled = t;
        }
        return settled < 0 ? OptionalInt.empty() : OptionalInt.of(settled);
    }

    /** Hit rate of tokens [from, to). @throws IllegalArgumentException when the range is empty */
    static double rate(CacheTrace trace, int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException("hit rate is undefined for an empty token range");
        }
        long hits = 0;
        for (int t = from; t < to; t++) {
            hits += trace.hitsAt(t);
        }
        return (double) hits / ((long) (to - from) * trace.topK());
    }

    private static void requireWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 token but was " + window);
        }
    }
}
