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
 */
public record RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                           ModelIdentity model, long tokens) {

    public RunLifecycle {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runName, "runName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
    }
}
