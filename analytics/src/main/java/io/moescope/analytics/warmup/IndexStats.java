package io.moescope.analytics.warmup;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import java.util.List;
import java.util.Map;

/**
 * Token indices found in some of the requests (a settling index, a stabilisation point): how many requests had one,
 * and their mean and largest value. A request shorter than two windows, or one that never settles, has none.
 *
 * @param requests        requests examined
 * @param found           requests with an index
 * @param mean            mean index over the requests that have one; null when none has
 * @param max             largest index; null when none has. It has no interval: the largest of a sample only
 *                        grows with the sample, and a bootstrap never draws beyond it, so resampling cannot say
 *                        where it would lie
 * @param meanInterval95  the 95 % interval of {@code mean}, by bootstrap over the requests that have an index, or
 *                        undefined with the reason (fewer than 2 such requests)
 */
public record IndexStats(int requests, int found, Double mean, Integer max, Defined<Interval> meanInterval95) {

    static IndexStats of(List<Integer> indices, int requests) {
        Defined<Interval> interval = meanInterval(indices);
        if (indices.isEmpty()) {
            return new IndexStats(requests, 0, null, null, interval);
        }
        double mean = indices.stream().mapToInt(Integer::intValue).average().orElseThrow();
        int max = indices.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return new IndexStats(requests, indices.size(), mean, max, interval);
    }

    /** A request's index is its unit's ratio {index, 1}: a resample's sum of indices over its count is its mean. */
    private static Defined<Interval> meanInterval(List<Integer> indices) {
        ResamplingUnits units = ResamplingUnits.requests(1);
        indices.forEach(index -> units.acceptRatios(Map.of(0, new long[] {index, 1})));
        return Defined.compute(() -> Bootstrap.resample(units, resample -> new double[] {resample.ratio(0)})
                .interval(0));
    }
}
