package io.moescope.probe.bench;

/**
 * What {@link CaptureBench} measured.
 *
 * @param decodeTokensOff    decode tokens timed with capture off (events dropped before encoding)
 * @param decodeSecondsOff   time those decode steps took, seconds
 * @param decodeTokensOn     decode tokens timed with capture on (encoded and sent to Kafka)
 * @param decodeSecondsOn    time those decode steps took, seconds
 * @param medianPairOverhead median over the alternating off/on pairs of {@code 1 - on / off} tokens per second:
 *                           robust against a machine whose load changes between rounds
 * @param captureSeconds     time the generation thread spent handing token events to the sink (encode + queue),
 *                           over the timed capture-on runs
 * @param capturedTokens     token events handed over in those runs (prefill and decode)
 * @param producerEvents     token events the producer alone was given
 * @param producerSeconds    time to encode, send and get every one acknowledged
 * @param decisionsPerEvent  MoE layers per token event
 * @param encodedBytes       Avro bytes of those events before compression
 * @param wireBytes          bytes the producer wrote to the network for them (compressed, with protocol overhead)
 */
public record BenchReport(long decodeTokensOff, double decodeSecondsOff, long decodeTokensOn, double decodeSecondsOn,
                          double medianPairOverhead, double captureSeconds, long capturedTokens,
                          long producerEvents, double producerSeconds, int decisionsPerEvent, long encodedBytes,
                          long wireBytes) {

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

    /** Microseconds the generation thread spends per token event on capture. */
    public double captureMicrosPerToken() {
        return captureSeconds * 1e6 / capturedTokens;
    }

    /**
     * Capture's direct cost as a share of decode time: the generation thread's capture time per token over the
     * decode step time with capture off. Insensitive to load swings between rounds.
     */
    public double directCaptureShare() {
        return (captureSeconds / capturedTokens) / (decodeSecondsOff / decodeTokensOff);
    }

    public double producerEventsPerSecond() {
        return producerEvents / producerSeconds;
    }

    public double wireBytesPerDecision() {
        return (double) wireBytes / (producerEvents * (long) decisionsPerEvent);
    }

    public double encodedBytesPerDecision() {
        return (double) encodedBytes / (producerEvents * (long) decisionsPerEvent);
    }
}
