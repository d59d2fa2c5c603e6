package io.moescope.analytics.evidence;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Percentile bootstrap over {@link ResamplingUnits}: each of {@value #RESAMPLES} resamples draws as many units as
 * there are, with replacement, sums their counts per layer (expert counts and token pairs, and ratios per key)
 * and hands them to the
 * caller, which
 * computes its figures with the same code as the point estimates. One draw serves every layer, so a resample keeps
 * a request's tokens together across layers too. The seed is fixed by the counts, so the same data always gives
 * the same intervals. Cost: resamples x units x layers x N additions.
 */
public final class Bootstrap {

    public static final int RESAMPLES = 1000;

    private Bootstrap() {
    }

    /**
     * @param figures from one resample (every layer of the units, ascending; a layer may be empty in a resample) to
     *                the figures' values, NaN where a figure is undefined; always the same length
     * @throws IllegalArgumentException with fewer than 2 units, where resampling shows no spread at all
     */
    public static Resamples resample(ResamplingUnits units, Function<Resample, double[]> figures) {
        Draws draws = new Draws(units);
        var random = new SplittableRandom(draws.seed());
        return collect(i -> figures.apply(draws.next(random)), units.method(), units.size());
    }

    /**
     * Two samples resampled side by side (two runs compared): each resample draws each sample's units on its own,
     * and {@code figures} compares the two resamples.
     *
     * @throws IllegalArgumentException when either sample has fewer than 2 units
     */
    public static Resamples resamplePaired(ResamplingUnits a, ResamplingUnits b,
                                           BiFunction<Resample, Resample, double[]> figures) {
        Draws drawsA = new Draws(a);
        Draws drawsB = new Draws(b);
        var random = new SplittableRandom(31 * drawsA.seed() + drawsB.seed());
        return collect(i -> figures.apply(drawsA.next(random), drawsB.next(random)),
                a.method() + " and " + b.method(), Math.min(a.size(), b.size()));
    }

    /**
     * The percentile interval of the mean of independent values, each held fixed (only which values were sampled
     * varies): each of {@value #RESAMPLES} resamples draws as many values as there are, with replacement. The seed is
     * fixed by the values, so the same values always give the same interval.
     *
     * @param method the resampling in words, e.g. "bootstrap over 412 token ids (each id's share fixed)"
     * @throws IllegalArgumentException with fewer than 2 values
     */
    public static Interval ofMean(double[] values, String method) {
        if (values.length < 2) {
            throw new IllegalArgumentException("no interval from " + values.length + " unit(s) of resampling ("
                    + method + "): it needs at least 2");
        }
        return Interval.percentile(resampledMeans(values), method, values.length);
    }

    /**
     * Each resample's mean: its draws counted per value, then the values times their counts summed in the values'
     * order. With tens of thousands of values (token ids) this is most of a suite's composition, so the next
     * resample's draws are made in the same pass as this one's sum (the same draws in the same order; the sum's
     * chain of additions and the draws' arithmetic overlap), into two count arrays used in turn.
     */
    static double[] resampledMeans(double[] values) {
        int n = values.length;
        var draws = new IndexDraws(n, new SplittableRandom(Arrays.hashCode(values)));
        double[] means = new double[RESAMPLES];
        int[] times = new int[n];
        int[] nextTimes = new int[n];
        for (int i = 0; i < n; i++) {
            times[draws.next()]++;
        }
        for (int r = 0; r < RESAMPLES; r++) {
            boolean drawNext = r + 1 < RESAMPLES;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (drawNext) {
                    nextTimes[draws.next()]++;
                }
                sum += times[i] * values[i];
                times[i] = 0;
            }
            means[r] = sum / n;
            int[] drawn = nextTimes;
            nextTimes = times;
            times = drawn;
        }
        return means;
    }

    private static Resamples collect(IntFunction<double[]> resample, String method, int units) {
        double[][] values = null;
        for (int r = 0; r < RESAMPLES; r++) {
            double[] figuresOfResample = resample.apply(r);
            if (values == null) {
                values = new double[figuresOfResample.length][RESAMPLES];
            }
            for (int f = 0; f < figuresOfResample.length; f++) {
                values[f][r] = figuresOfResample[f];
            }
        }
        return new Resamples(values, method, units);
    }

    /** One sample's units as arrays, drawn from again and again. */
    private static final class Draws {
        private final int size;
        private final Map<Integer, long[][]> counts = new TreeMap<>();
        private final Map<Integer, long[][]> pairs = new TreeMap<>();
        private final Map<Integer, long[][]> ratios = new TreeMap<>();

        Draws(ResamplingUnits units) {
            if (units.size() < 2) {
                throw new IllegalArgumentException("no interval from " + units.size() + " unit(s) of resampling ("
                        + units.method() + "): it needs at least 2");
            }
            size = units.size();
            units.layers().forEach(layer -> {
                counts.put(layer, units.counts(layer));
                pairs.put(layer, units.pairs(layer));
            });
            units.ratioKeys().forEach(key -> ratios.put(key, units.ratios(key)));
        }

        /** Fixed by the counts: the same data always gives the same intervals. */
        long seed() {
            long seed = seedOf(counts);
            // ratios are the only counts of some units (a warm-up's); load units keep the seed they always had
            return ratios.isEmpty() ? seed : 31 * seed + seedOf(ratios);
        }

        Resample next(SplittableRandom random) {
            int[] times = draw(size, random);
            return new Resample(loads(counts, times), sums(pairs, times), sums(ratios, times));
        }
    }

    private static long seedOf(Map<Integer, long[][]> counts) {
        long seed = 17;
        for (long[][] layer : counts.values()) {
            seed = 31 * seed + Arrays.deepHashCode(layer);
        }
        return seed;
    }

    /** How many times each unit is drawn. */
    private static int[] draw(int size, SplittableRandom random) {
        int[] times = new int[size];
        var draws = new IndexDraws(size, random);
        for (int i = 0; i < size; i++) {
            times[draws.next()]++;
        }
        return times;
    }

    private static Map<Integer, ExpertLoad> loads(Map<Integer, long[][]> counts, int[] times) {
        Map<Integer, ExpertLoad> loads = new TreeMap<>();
        sums(counts, times).forEach((layer, sum) -> loads.put(layer, new ExpertLoad(layer, sum)));
        return loads;
    }

    /** Per layer, the drawn units' vectors summed, each as many times as it was drawn. */
    private static Map<Integer, long[]> sums(Map<Integer, long[][]> vectors, int[] times) {
        Map<Integer, long[]> sums = new TreeMap<>();
        vectors.forEach((layer, units) -> {
            long[] sum = new long[units[0].length];
            for (int u = 0; u < units.length; u++) {
                if (times[u] > 0) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += times[u] * units[u][i];
                    }
                }
            }
            sums.put(layer, sum);
        });
        return sums;
    }

    /**
     * One resample's sums per layer.
     *
     * @param loads expert counts
     * @param pairs consecutive token pairs {pairs, same first choice, intersecting}
     * @param ratios per key, {numerator, denominator} ({@link ResamplingUnits#acceptRatios})
     */
    public record Resample(Map<Integer, ExpertLoad> loads, Map<Integer, long[]> pairs, Map<Integer, long[]> ratios) {

        /** A key's numerator / denominator in this resample; NaN where no drawn unit has a denominator there. */
        public double ratio(int key) {
            long[] counts = ratios.get(key);
            return counts == null || counts[1] == 0 ? Double.NaN : (double) counts[0] / counts[1];
        }
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
