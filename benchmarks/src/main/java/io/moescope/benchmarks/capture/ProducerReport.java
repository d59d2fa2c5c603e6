package io.moescope.benchmarks.capture;

/**
 * The Kafka producer alone (encode, hand-off, send, acknowledgement) on synthetic token events.
 *
 * @param events            token events sent
 * @param seconds           wall time until the last one was acknowledged
 * @param cpuSeconds        CPU time of the threads doing the work: the encoding thread, the delivery sender and
 *                          the producer's network thread (not the broker's)
 * @param decisionsPerEvent MoE layers per token event
 * @param encodedBytes      Avro bytes of those events before compression
 * @param wireBytes         bytes the producer wrote to the network for them (compressed, with protocol overhead)
 */
public record ProducerReport(long events, double seconds, double cpuSeconds, int decisionsPerEvent, long encodedBytes,
                             long wireBytes) {

    public double eventsPerSecond() {
        return events / seconds;
    }

    public double decisionsPerSecond() {
        return eventsPerSecond() * decisionsPerEvent;
    }

    /** CPU microseconds the client side spends per token event: what a busy machine cannot hide. */
    public double cpuMicrosPerEvent() {
        return cpuSeconds * 1e6 / events;
    }

    public double wireBytesPerDecision() {
        return (double) wireBytes / (events * (long) decisionsPerEvent);
    }

    public double encodedBytesPerDecision() {
        return (double) encodedBytes / (events * (long) decisionsPerEvent);
    }
}
