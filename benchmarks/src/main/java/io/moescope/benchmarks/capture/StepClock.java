package io.moescope.benchmarks.capture;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/** The two clocks a decode step is timed by; an interface so that tests can script the readings. */
interface StepClock {

    /** Wall time, nanoseconds from an arbitrary origin. */
    long wallNanos();

    /** CPU time of the calling (generating) thread, nanoseconds. */
    long cpuNanos();

    /** {@link System#nanoTime()} and {@link ThreadMXBean#getCurrentThreadCpuTime()}. */
    static StepClock system() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return new StepClock() {
            @Override
            public long wallNanos() {
                return System.nanoTime();
            }

            @Override
            public long cpuNanos() {
                return threads.getCurrentThreadCpuTime();
            }
        };
    }

    /**
     * Seconds one reading of both clocks costs, the median of {@code batches} batches of 1,000: a captured step
     * reads them once more than an uncaptured one (for the direct-capture figure), which the report states.
     */
    static double readingCost(StepClock clock, int batches) {
        double[] perReading = new double[batches];
        long sink = 0;
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                sink += clock.wallNanos() + clock.cpuNanos();
            }
            perReading[b] = (System.nanoTime() - start) / 1e12;
        }
        Arrays.sort(perReading);
        // Keeps the readings from being optimised away.
        return sink == 42 ? 0 : Bootstrap.quantile(perReading, 0.5);
    }
}
