package io.moescope.analytics.evidence;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Percentile bootstrap over {@link ResamplingUnits}: each of {@value #RESAMPLES} resamples draws as many units as
 * there are, with replacement, sums their counts per layer and hands the resampled loads to the caller, which
 * computes its figures with the same code as the point estimates. One draw serves every layer, so a resample keeps
 * a request's tokens together across layers too. The seed is fixed by the counts, so the same data always gives
 * the same intervals. Cost: resamples x units x layers x N additions.
 */
public final class Bootstrap {

    public static final int RESAMPLES = 1000;

    private Bootstrap() {
    }

    /**
     * @param figures from one resample's loads (every layer of the units, ascending; a layer may be empty in a
     *                resample) to the figures' values, NaN where a figure is undefined; always the same length
     * @throws IllegalArgumentException with fewer than 2 units, where resampling shows no spread at all
     */
    public static Resamples resample(ResamplingUnits units, Function<Map<Integer, ExpertLoad>, double[]> figures) {
        if (units.size() < 2) {
            throw new IllegalArgumentException("no interval from " + units.size() + " unit(s) of resampling ("
                    + units.method() + "): it needs at least 2");
        }
        Map<Integer, long[][]> counts = new TreeMap<>();
        units.layers().forEach(layer -> counts.put(layer, units.counts(layer)));
        var random = new SplittableRandom(seed(counts));
        double[][] values = null;
        for (int r = 0; r < RESAMPLES; r++) {
            double[] figuresOfResample = figures.apply(loads(counts, draw(units.size(), random), units.numExperts()));
            if (values == null) {
                values = new double[figuresOfResample.length][RESAMPLES];
            }
            for (int f = 0; f < figuresOfResample.length; f++) {
                values[f][r] = figuresOfResample[f];
            }
        }
        return new Resamples(values, units.method(), units.size());
    }

    private static long seed(Map<Integer, long[][]> counts) {
        long seed = 17;
        for (long[][] layer : counts.values()) {
            seed = 31 * seed + Arrays.deepHashCode(layer);
        }
        return seed;
    }

    /** How many times each unit is drawn. */
    private static int[] draw(int size, SplittableRandom random) {
        int[] times = new int[size];
        for (int i = 0; i < size; i++) {
            times[random.nextInt(size)]++;
        }
        return times;
    }

    private static Map<Integer, ExpertLoad> loads(Map<Integer, long[][]> counts, int[] times, int numExperts) {
        Map<Integer, ExpertLoad> loads = new TreeMap<>();
        counts.forEach((layer, units) -> {
            long[] sum = new long[numExperts];
            for (int u = 0; u < units.length; u++) {
                if (times[u] > 0) {
                    for (int e = 0; e < numExperts; e++) {
                        sum[e] += times[u] * units[u][e];
                    }
                }
            }
            loads.put(layer, new ExpertLoad(layer, sum));
        });
        return loads;
    }

    /**
     * Every figure's resampled values.
     *
     * @param values {@code [figure][resample]}
     * @param method the resampling in words
     * @param units  the units resampled
     */
    public record Resamples(double[][] values, String method, int units) {

        /**
         * @throws IllegalArgumentException when the figure is undefined in every resample
         */
        public Interval interval(int figure) {
            return Interval.percentile(values[figure], method, units);
        }
    }
}
