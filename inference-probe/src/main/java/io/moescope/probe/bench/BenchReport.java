package io.moescope.probe.bench;

import io.moescope.events.ModelIdentity;
import java.util.List;

/**
 * What {@link CaptureBench} measured.
 *
 * @param model           the model benched
 * @param intraOpThreads  PyTorch intra-op threads during the bench (1: all maths on the generating thread, so its CPU
 *                        time is the engine's)
 * @param pairs           the timed capture-off / capture-on pairs, in the order they ran
 * @param producer        the producer alone on synthetic events of the model's shape
 * @param loadBefore      system load average (1 min) when the bench started
 * @param loadAfter       the same when the rounds ended
 */
public record BenchReport(ModelIdentity model, int intraOpThreads, List<Pair> pairs, ProducerReport producer,
                          double loadBefore, double loadAfter) {

    public BenchReport {
        pairs = List.copyOf(pairs);
    }

    public long decodeSteps(boolean capture) {
        return rounds(capture).stream().mapToLong(Round::decodeSteps).sum();
    }

    public double decodeSeconds(boolean capture) {
        return rounds(capture).stream().mapToDouble(Round::wallSeconds).sum();
    }

    /** Decode tokens per second over all rounds with capture off ({@code false}) or on. */
    public double decodeTokensPerSecond(boolean capture) {
        return decodeSteps(capture) / decodeSeconds(capture);
    }

    /** Wall time per decode step, capture on over off, per pair. */
    public Spread wallOverhead() {
        return Spread.of(pairs.stream().map(Pair::wallOverhead).toList());
    }

    /** CPU per decode step (generating + delivery threads), capture on over off, per pair. */
    public Spread cpuOverhead() {
        return Spread.of(pairs.stream().map(Pair::cpuOverhead).toList());
    }

    /** Direct capture time on the generating thread per token over a capture-off decode step, per pair. */
    public Spread directShare() {
        return Spread.of(pairs.stream().map(Pair::directShare).toList());
    }

    /** Median over the capture-on rounds of the direct capture time per token, seconds. */
    public double medianDirectCapture() {
        return Spread.of(rounds(true).stream().map(Round::directCapture).toList()).median();
    }

    /** The generating thread's CPU per decode step, capture on over off, per pair. */
    public Spread generatingThreadOverhead() {
        return Spread.of(pairs.stream().map(Pair::generatingThreadOverhead).toList());
    }

    /** The delivery threads' CPU per token event over a capture-off step's CPU, per pair. */
    public Spread deliveryOverhead() {
        return Spread.of(pairs.stream().map(Pair::deliveryOverhead).toList());
    }

    /** Median over the capture-off rounds of the wall time of one decode step, seconds. */
    public double medianStepSeconds() {
        return Spread.of(rounds(false).stream().map(Round::wallPerStep).toList()).median();
    }

    /** Median over the capture-on rounds of the delivery threads' CPU per token event, seconds. */
    public double medianDeliveryCpuPerEvent() {
        return Spread.of(rounds(true).stream().map(Round::deliveryCpuPerEvent).toList()).median();
    }

    private List<Round> rounds(boolean capture) {
        return pairs.stream().map(p -> capture ? p.on() : p.off()).toList();
    }
}
