package io.moescope.probe.run;

import io.moescope.events.ModelIdentity;
import java.time.Duration;

/**
 * What a probe run did.
 *
 * @param runId           the run's id, as in every event
 * @param model           the model that ran
 * @param promptTokens    prompt tokens routed (prefill), over all requests
 * @param generatedTokens generated tokens routed (decode), over all requests
 * @param decisions       router decisions captured: tokens x MoE layers
 * @param elapsed         injected-clock time from the STARTED event to the FINISHED event (model loading excluded)
 */
public record ProbeResult(String runId, ModelIdentity model, long promptTokens, long generatedTokens, long decisions,
                          Duration elapsed) {

    /** Prompt and generated tokens: the number of routing records sent. */
    public long tokens() {
        return promptTokens + generatedTokens;
    }

    /** Routed tokens per second of {@link #elapsed()}, 0 when no time passed. */
    public double tokensPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? tokens() / seconds : 0;
    }
}
