package io.moescope.benchmarks.capture;

import java.util.List;

/**
 * One bench round with capture alternating per decode step: the prompts once, every other decode step captured.
 *
 * @param firstDecodeStepCaptured whether each request's step 0 was the captured one (the next round swaps, so
 *                                every position is measured both ways)
 * @param pairs                   the neighbouring captured/uncaptured step pairs (a request's last step is left
 *                                out when it has no neighbour)
 * @param capturedSteps           decode steps captured (paired or not): token events sent
 * @param capturedCpuSeconds      the generating thread's CPU time in those steps
 * @param directCaptureSeconds    the generating thread's CPU between the end of a captured step's forward pass and
 *                                the sink having taken its event (build, encode, queue), summed over the round
 */
public record AlternatingRound(boolean firstDecodeStepCaptured, List<StepPair> pairs, long capturedSteps,
                               double capturedCpuSeconds, double directCaptureSeconds) {

    public AlternatingRound {
        pairs = List.copyOf(pairs);
        if (capturedSteps < 1) {
            throw new IllegalArgumentException("a round needs at least one captured decode step (two generated "
                    + "tokens in one request) but had none");
        }
    }

    /** Direct capture CPU per captured step. */
    public double directCapturePerStep() {
        return directCaptureSeconds / capturedSteps;
    }
}
