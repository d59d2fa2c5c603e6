package io.moescope.benchmarks.capture;

import io.moescope.events.ModelIdentity;
import java.util.List;

/**
 * What {@link CaptureBench} measured.
 *
 * @param model               the model benched
 * @param intraOpThreads      PyTorch intra-op threads during the bench (1: all maths on the generating thread, so
 *                            its CPU time is the engine's)
 * @param steps               the headline: captured decode steps against their uncaptured neighbours
 * @param roundPairs          the secondary, round-level comparison: whole rounds with capture off and on in ABBA
 *                            order, in the order they ran; empty when not asked for
 * @param throughput          one whole round with capture off, then one on: prefill and decode speed, peak RSS
 * @param producer            the producer alone on synthetic events of the model's shape
 * @param loadBefore          system load average (1 min) when the bench started
 * @param loadAfter           the same when the rounds ended
 * @param clockReadingSeconds what one reading of the step clocks (wall and thread CPU) costs
 */
public record BenchReport(ModelIdentity model, int intraOpThreads, StepOverhead steps, List<Pair> roundPairs,
                          List<Throughput> throughput, ProducerReport producer, double loadBefore,
                          double loadAfter, double clockReadingSeconds) {

    public BenchReport {
        roundPairs = List.copyOf(roundPairs);
        throughput = List.copyOf(throughput);
    }

    /** Round level: wall time per decode step, capture on over off, per pair of rounds. */
    public Spread roundWallOverhead() {
        return Spread.of(roundPairs.stream().map(Pair::wallOverhead).toList());
    }

    /** Round level: CPU per decode step (generating + delivery threads), capture on over off, per pair of rounds. */
    public Spread roundCpuOverhead() {
        return Spread.of(roundPairs.stream().map(Pair::cpuOverhead).toList());
    }
}
