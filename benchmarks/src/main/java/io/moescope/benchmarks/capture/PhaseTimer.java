package io.moescope.benchmarks.capture;

import io.moescope.events.Phase;
import io.moescope.probe.run.ProbeListener;

/**
 * Sums the runner's own forward times per phase over one whole round: prefill tokens and time, decode tokens and
 * time. The runner times the forward pass and what capture does with its result, so a captured round's figures
 * include capture on the generating thread.
 */
final class PhaseTimer implements ProbeListener {

    private long prefillTokens;
    private long prefillNanos;
    private long decodeTokens;
    private long decodeNanos;

    @Override
    public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
        if (phase == Phase.PREFILL) {
            prefillTokens += tokens;
            prefillNanos += nanos;
        } else {
            decodeTokens += tokens;
            decodeNanos += nanos;
        }
    }

    Throughput throughput(boolean captured, long peakRssBytes) {
        return new Throughput(captured, prefillTokens / (prefillNanos / 1e9), decodeTokens / (decodeNanos / 1e9),
                peakRssBytes);
    }
}
