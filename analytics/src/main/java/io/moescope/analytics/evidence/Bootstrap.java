package io.moescope.analytics.evidence;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.List;
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
    private static double[] resampledMeans(double[] values) {
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
        private final long seed;
        private final UnitVectors counts;
        private final UnitVectors pairs;
        private final UnitVectors ratios;

        Draws(ResamplingUnits units) {
            if (units.size() < 2) {
                throw new IllegalArgumentException("no interval from " + units.size() + " unit(s) of resampling ("
                        + units.method() + "): it needs at least 2");
            }
            size = units.size();
            Map<Integer, long[][]> countsByLayer = new TreeMap<>();
            Map<Integer, long[][]> pairsByLayer = new TreeMap<>();
            Map<Integer, long[][]> ratiosByKey = new TreeMap<>();
            units.layers().forEach(layer -> {
                countsByLayer.put(layer, units.counts(layer));
                pairsByLayer.put(layer, units.pairs(layer));
            });
            units.ratioKeys().forEach(key -> ratiosByKey.put(key, units.ratios(key)));
            seed = seed(countsByLayer, ratiosByKey);
            counts = new UnitVectors(countsByLayer, size);
            pairs = new UnitVectors(pairsByLayer, size);
            ratios = new UnitVectors(ratiosByKey, size);
        }

        /** Fixed by the counts: the same data always gives the same intervals. */
        private static long seed(Map<Integer, long[][]> counts, Map<Integer, long[][]> ratios) {
            long seed = seedOf(counts);
            // ratios are the only counts of some units (a warm-up's); load units keep the seed they always had
            return ratios.isEmpty() ? seed : 31 * seed + seedOf(ratios);
        }

        long seed() {
            return seed;
        }

        Resample next(SplittableRandom random) {
            int[] times = draw(size, random);
            return new Resample(loads(counts.sums(times)), pairs.sums(times), ratios.sums(times));
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

    private static Map<Integer, ExpertLoad> loads(Map<Integer, long[]> sums) {
        Map<Integer, ExpertLoad> loads = new TreeMap<>();
        sums.forEach((layer, sum) -> loads.put(layer, new ExpertLoad(layer, sum)));
        return loads;
    }

    /**
     * Every unit's vectors of every key (layer or ratio key), laid out one after the other in one row per unit, so a
     * resample sums a drawn unit's whole row in one pass (a suite's 32 layers of 8 experts and 200 units: a row of 256
     * counts, where a vector per layer and unit was 8).
     */
    private static final class UnitVectors {
        private final List<Integer> keys;
        /** key j's vector at {@code [offsets[j], offsets[j + 1])} of a row */
        private final int[] offsets;
        private final long[][] rows;

        UnitVectors(Map<Integer, long[][]> byKey, int units) {
            keys = List.copyOf(byKey.keySet());
            offsets = new int[keys.size() + 1];
            for (int j = 0; j < keys.size(); j++) {
                offsets[j + 1] = offsets[j] + byKey.get(keys.get(j))[0].length;
            }
            rows = new long[units][offsets[keys.size()]];
            for (int j = 0; j < keys.size(); j++) {
                long[][] vectors = byKey.get(keys.get(j));
                int width = offsets[j + 1] - offsets[j];
                for (int u = 0; u < units; u++) {
                    System.arraycopy(vectors[u], 0, rows[u], offsets[j], width);
                }
            }
        }

        /**
         * Per key, the drawn units' vectors summed, each as many times as it was drawn. Integer sums: the same in any
         * order of the units, so summing row by row gives what summing key by key gave.
         */
        Map<Integer, long[]> sums(int[] times) {
            long[] sum = new long[offsets[keys.size()]];
            for (int u = 0; u < rows.length; u++) {
                if (times[u] > 0) {
                    long drawn = times[u];
                    long[] row = rows[u];
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += drawn * row[i];
                    }
                }
            }
            Map<Integer, long[]> sums = new TreeMap<>();
            for (int j = 0; j < keys.size(); j++) {
                sums.put(keys.get(j), Arrays.copyOfRange(sum, offsets[j], offsets[j + 1]));
            }
            return sums;
        }
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
