package io.moescope.benchmarks.metrics;

import java.util.Arrays;

/**
 * The times of repeated calls of one figure, in milliseconds, and their percentiles by the nearest-rank method: the
 * p-th percentile of n sorted times is the ceil(p/100 x n)-th (so with 5 calls p95 is the slowest, with 20 the
 * 19th).
 */
public record Latencies(double[] millis) {

    public Latencies {
        if (millis.length == 0) {
            throw new IllegalArgumentException("at least one call is needed for percentiles");
        }
        millis = millis.clone();
        Arrays.sort(millis);
    }

    public double p50() {
        return percentile(50);
    }

    public double p95() {
        return percentile(95);
    }

    public int calls() {
        return millis.length;
    }

    private double percentile(int p) {
        int rank = (int) Math.ceil(p / 100.0 * millis.length);
        return millis[Math.max(1, rank) - 1];
    }
}
