package io.moescope.benchmarks.tap;

import java.util.Arrays;
import java.util.Locale;

/**
 * One case of the tap bench: latencies and throughput through the tap against calling the engine directly, the
 * rounds of both pooled.
 *
 * @param positions       positions per response (the routing's rows)
 * @param clients         concurrent clients
 * @param direct          every request's latency straight to the engine, ns
 * @param tapped          every request's latency through the tap, ns
 * @param directPerSecond requests per second straight to the engine, over all its rounds
 * @param tappedPerSecond requests per second through the tap, over all its rounds
 * @param notRecorded     responses of the measured tap rounds that the tap answered but did not record, its
 *                        recording being behind (the outcome {@code not_recorded})
 */
public record TapBenchResult(int positions, int clients, long[] direct, long[] tapped, double directPerSecond,
                             double tappedPerSecond, long notRecorded) {

    /** The {@code q} quantile (nearest rank) of latencies, in ms. */
    static double quantileMillis(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    public double addedP50Millis() {
        return quantileMillis(tapped, 0.5) - quantileMillis(direct, 0.5);
    }

    public double addedP99Millis() {
        return quantileMillis(tapped, 0.99) - quantileMillis(direct, 0.99);
    }

    public double throughputRatio() {
        return tappedPerSecond / directPerSecond;
    }

    /** One line of the report, under {@link #HEADER}; a negative added latency is marked as {@link #NOTE} says. */
    public String line() {
        return String.format(Locale.ROOT, "%9d %7d %9.2f %9.2f %9.2f %9.2f %s%s%10.1f %10.1f %6.3f %12d",
                positions, clients, quantileMillis(direct, 0.5), quantileMillis(direct, 0.99),
                quantileMillis(tapped, 0.5), quantileMillis(tapped, 0.99), added(addedP50Millis()),
                added(addedP99Millis()), directPerSecond, tappedPerSecond, throughputRatio(), notRecorded);
    }

    /** The difference as it is, and a mark in the column's trailing space when it is below zero. */
    private static String added(double millis) {
        return String.format(Locale.ROOT, "%9.2f%s", millis, millis < 0 ? "*" : " ");
    }

    public static final String HEADER = String.format(Locale.ROOT,
            "%9s %7s %9s %9s %9s %9s %9s %9s %10s %10s %6s %12s", "positions", "clients", "dir p50", "dir p99",
            "tap p50", "tap p99", "+p50 ms", "+p99 ms", "dir req/s", "tap req/s", "ratio", "not recorded");

    /** What the added columns are, printed under the table. */
    public static final String NOTE = "+p50, +p99: tap minus direct at the same quantile, each quantile over its own"
            + " requests, so not any one request's cost; * marks a difference below zero, which is noise (the tap"
            + " cannot make requests faster); with fewer than 100 requests of a kind, p99 is its slowest request.";
}
