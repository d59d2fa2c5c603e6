package io.moescope.benchmarks.capture;

/**
 * One round of the round-level comparison: the prompts once, with capture off or on.
 *
 * @param decodeSteps        decode steps timed (see {@link RoundTimer})
 * @param wallSeconds        their wall time
 * @param cpuSeconds         the generating thread's CPU time over them (PyTorch maths included: the bench runs it on
 *                           that thread, one intra-op thread)
 * @param deliveryCpuSeconds CPU time of the probe's delivery threads (Kafka sender, producer network thread) from
 *                           the connected producer's first event to the last acknowledgement; 0 with capture off
 * @param events             token events the round sent (prefill and decode); 0 with capture off
 */
public record Round(long decodeSteps, double wallSeconds, double cpuSeconds, double deliveryCpuSeconds,
                    long events) {

    public Round {
        if (decodeSteps < 1) {
            throw new IllegalArgumentException("a round needs at least one timed decode step (two generated tokens "
                    + "in one request) but had none");
        }
    }

    /** Wall seconds per decode step. */
    public double wallPerStep() {
        return wallSeconds / decodeSteps;
    }

    /**
     * CPU seconds per decode step: the generating thread's, plus the delivery threads' share of one token event (a
     * decode step emits one). The in-process broker's threads are not counted.
     */
    public double cpuPerStep() {
        return generatingCpuPerStep() + deliveryCpuPerEvent();
    }

    public double generatingCpuPerStep() {
        return cpuSeconds / decodeSteps;
    }

    /** The delivery threads' CPU per token event; 0 with capture off. */
    public double deliveryCpuPerEvent() {
        return events == 0 ? 0 : deliveryCpuSeconds / events;
    }

    public double tokensPerSecond() {
        return decodeSteps / wallSeconds;
    }
}
