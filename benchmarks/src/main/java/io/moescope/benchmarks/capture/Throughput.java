package io.moescope.benchmarks.capture;

/**
 * One whole round of every prompt, captured or not: prefill and decode speed from the runner's step times, and the
 * process's peak resident memory during the round (the peak reset before it; -1 where the kernel does not say).
 *
 * @param captured                whether every token was captured and sent
 * @param prefillTokensPerSecond  prompt tokens over the prefill forward passes' time
 * @param decodeTokensPerSecond   generated tokens over the decode steps' time
 * @param peakRssBytes            VmHWM over the round
 */
public record Throughput(boolean captured, double prefillTokensPerSecond, double decodeTokensPerSecond,
                         long peakRssBytes) {
}
