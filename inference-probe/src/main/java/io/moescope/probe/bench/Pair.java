package io.moescope.probe.bench;

/** A capture-off round and the capture-on round run next to it, so both saw the same machine load. */
public record Pair(Round off, Round on) {

    /** Extra wall time per decode step with capture on: {@code on / off - 1}. */
    public double wallOverhead() {
        return on.wallPerStep() / off.wallPerStep() - 1;
    }

    /** Extra CPU per decode step with capture on (generating thread plus delivery threads): {@code on / off - 1}. */
    public double cpuOverhead() {
        return on.cpuPerStep() / off.cpuPerStep() - 1;
    }

    /** The on round's direct capture CPU per token over the off round's CPU per decode step. */
    public double directShare() {
        return on.directCapture() / off.cpuPerStep();
    }

    /** The generating thread's part of {@link #cpuOverhead()}: its CPU per decode step, on over off, minus 1. */
    public double generatingThreadOverhead() {
        return on.generatingCpuPerStep() / off.generatingCpuPerStep() - 1;
    }

    /** The delivery threads' part of {@link #cpuOverhead()}: their CPU per token event over an off step's CPU. */
    public double deliveryOverhead() {
        return on.deliveryCpuPerEvent() / off.cpuPerStep();
    }
}
