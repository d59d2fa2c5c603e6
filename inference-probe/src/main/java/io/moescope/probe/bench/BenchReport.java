package io.moescope.probe.bench;

import java.util.List;

/**
 * What {@link CaptureBench} measured.
 *
 * @param decodeTokensOff   decode tokens timed with capture off (events dropped before encoding)
 * @param decodeSecondsOff  time those decode steps took, seconds
 * @param decodeTokensOn    decode tokens timed with capture on (encoded and sent to Kafka)
 * @param decodeSecondsOn   time those decode steps took, seconds
 * @param pairOverheads     per off/on pair of rounds, {@code 1 - on / off} decode tokens per second: the pair ran
 *                          back to back, so a load change between pairs does not bias it
 * @param captureShares     per round with capture on, the generation thread's capture time per token event over
 *                          the decode step time of the capture-off round of the same pair
 * @param captureSeconds    time the generation thread spent handing token events to the sink (encode + queue),
 *                          over the timed capture-on runs
 * @param capturedTokens    token events handed over in those runs (prefill and decode)
 * @param producer          the producer alone on synthetic events of the model's shape
 */
public record BenchReport(long decodeTokensOff, double decodeSecondsOff, long decodeTokensOn, double decodeSecondsOn,
                          List<Double> pairOverheads, List<Double> captureShares, double captureSeconds,
                          long capturedTokens, ProducerReport producer) {

    public BenchReport {
        pairOverheads = List.copyOf(pairOverheads);
        captureShares = List.copyOf(captureShares);
    }

    public double decodeTokensPerSecondOff() {
        return decodeTokensOff / decodeSecondsOff;
    }

    public double decodeTokensPerSecondOn() {
        return decodeTokensOn / decodeSecondsOn;
    }

    /** Share of decode throughput capture costs over all rounds together: {@code 1 - on / off} in tokens per second. */
    public double captureOverhead() {
        return 1 - decodeTokensPerSecondOn() / decodeTokensPerSecondOff();
    }

    /** Off/on throughput overhead over the pairs of rounds. */
    public Spread pairOverhead() {
        return Spread.of(pairOverheads);
    }

    /** Capture's direct cost as a share of a decode step, over the rounds: insensitive to load swings. */
    public Spread captureShare() {
        return Spread.of(captureShares);
    }

    /**
     * CPU the whole client side of capture (encoding, hand-off, the sender and the producer's network thread)
     * spends per token event, as a share of a decode step with capture off: what capture takes from a machine whose
     * cores are all busy, where the delivery threads compete with decoding.
     */
    public double producerCpuShare() {
        return producer.cpuMicrosPerEvent() / 1e6 / (decodeSecondsOff / decodeTokensOff);
    }

    /** Microseconds the generation thread spends per token event on capture. */
    public double captureMicrosPerToken() {
        return captureSeconds * 1e6 / capturedTokens;
    }
}
