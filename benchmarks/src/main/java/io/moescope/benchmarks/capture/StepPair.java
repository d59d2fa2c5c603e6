package io.moescope.benchmarks.capture;

/**
 * Two neighbouring decode steps of one request (steps 2j and 2j + 1), one captured and one not, so both ran on the
 * same machine state: same load, same caches, same sequence length give or take one token. Seconds.
 *
 * @param capturedWall wall time of the captured step
 * @param capturedCpu  the generating thread's CPU time in it
 * @param plainWall    wall time of the uncaptured step
 * @param plainCpu     the generating thread's CPU time in it
 */
public record StepPair(double capturedWall, double capturedCpu, double plainWall, double plainCpu) {

    public StepPair {
        if (!(plainWall > 0 && plainCpu > 0 && capturedWall > 0 && capturedCpu > 0)) {
            throw new IllegalArgumentException("a timed step takes some wall and CPU time, but the pair was "
                    + capturedWall + " s / " + capturedCpu + " s CPU captured, " + plainWall + " s / " + plainCpu
                    + " s CPU uncaptured");
        }
    }

    /** Extra wall time of the captured step as a share of the uncaptured one. */
    public double wallShare() {
        return capturedWall / plainWall - 1;
    }

    /** Extra CPU time of the generating thread in the captured step as a share of the uncaptured one. */
    public double cpuShare() {
        return capturedCpu / plainCpu - 1;
    }
}
