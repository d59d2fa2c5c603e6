package io.moescope.benchmarks.capture;

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
}
