package io.moescope.benchmarks.speed;

/**
 * What {@link SpeedBench} measured for one checkpoint at one intra-op thread count.
 *
 * @param intraOpThreads PyTorch's intra-op threads, as the engine reported them back
 * @param promptTokens   tokens of the prefill step
 * @param newTokens      decode steps per repeat
 * @param coldPrefill    the warm-up's prefill: the first forward pass of the loaded model, which pays the engine's
 *                       first-use costs (what a one-prompt probe run pays)
 * @param prefill        the prefill step, median over the repeats
 * @param decode         one decode step (the repeat's decode time over its steps), median over the repeats
 * @param floorPrefill   the same step's matrix multiplications done bare ({@link MatmulFloor}), best of the repeats;
 *                       null where the architecture has no floor
 * @param floorDecode    the same for one decode step, or null
 * @param loadBefore     system load average (1 min) when the model was loaded
 * @param loadAfter      the same after the floor
 */
public record SpeedReport(int intraOpThreads, int promptTokens, int newTokens, StepTime coldPrefill,
                          StepTime prefill, StepTime decode,
                          StepTime floorPrefill, StepTime floorDecode, double loadBefore, double loadAfter) {

    public double prefillTokensPerSecond() {
        return promptTokens / prefill.wallSeconds();
    }

    public double decodeTokensPerSecond() {
        return 1 / decode.wallSeconds();
    }
}
