package io.moescope.analytics.warmup;

import java.util.List;

/**
 * Token indices found in some of the requests (a settling index, a stabilisation point): how many requests had one,
 * and their mean and largest value. A request shorter than two windows, or one that never settles, has none.
 *
 * @param requests requests examined
 * @param found    requests with an index
 * @param mean     mean index over the requests that have one; null when none has
 * @param max      largest index; null when none has
 */
public record IndexStats(int requests, int found, Double mean, Integer max) {

    static IndexStats of(List<Integer> indices, int requests) {
        if (indices.isEmpty()) {
            return new IndexStats(requests, 0, null, null);
        }
        double mean = indices.stream().mapToInt(Integer::intValue).average().orElseThrow();
        int max = indices.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return new IndexStats(requests, indices.size(), mean, max);
    }
}
