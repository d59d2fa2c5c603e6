package io.moescope.events;

import java.util.Objects;

/**
 * A run starting or ending, sent before the first and after the last {@link TokenRouting} of the run.
 *
 * @param runId           unique id of the run
 * @param runName         the name the user gave the run
 * @param status          what happened
 * @param timestampMicros wall clock in microseconds since the epoch
 * @param source          {@code probe}, {@code import:<format>} or {@code replay}
 * @param model           the model that produced the routing
 * @param tokens          tokens routed so far (prompt and generated); 0 when the run starts
 * @param requestsNotSeparable why the run's requests cannot be told apart (e.g. a trace that logs one request id
 *                        for a batch of prompts), so that sequence metrics are undefined; null when they can
 */
public record RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                           ModelIdentity model, long tokens, String requestsNotSeparable) {

    /** An event of a run whose requests can be told apart (every probe run, most imports). */
    public RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                        ModelIdentity model, long tokens) {
        this(runId, runName, status, timestampMicros, source, model, tokens, null);
    }

    public RunLifecycle {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runName, "runName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
    }
}
