package io.moescope.benchmarks.speed;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Wall and CPU time of one piece of work. CPU is the whole process's ({@code getProcessCpuTime}): PyTorch's native
 * intra-op threads are invisible to per-thread accounting, and with more than one of them their CPU (spinning
 * included) is what a second thread costs.
 *
 * @param wallSeconds elapsed
 * @param cpuSeconds  the process's CPU over the same span
 */
public record StepTime(double wallSeconds, double cpuSeconds) {

    /** Runs {@code work} and times it. */
    static StepTime of(Runnable work) {
        long cpu = processCpuNanos();
        long wall = System.nanoTime();
        work.run();
        return new StepTime((System.nanoTime() - wall) / 1e9, (processCpuNanos() - cpu) / 1e9);
    }

    /** This time divided by {@code n}: per token, when the work was n decode steps. */
    StepTime per(int n) {
        return new StepTime(wallSeconds / n, cpuSeconds / n);
    }

    /** Wall and CPU each the median over {@code times} (of an even count, the mean of the middle two). */
    static StepTime median(List<StepTime> times) {
        if (times.isEmpty()) {
            throw new IllegalArgumentException("no times to take the median of");
        }
        return new StepTime(median(times.stream().mapToDouble(StepTime::wallSeconds).sorted().toArray()),
                median(times.stream().mapToDouble(StepTime::cpuSeconds).sorted().toArray()));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Override
    public String toString() {
        return String.format("%.1f ms wall, %.1f ms CPU", 1e3 * wallSeconds, 1e3 * cpuSeconds)
               ;
    }
}
