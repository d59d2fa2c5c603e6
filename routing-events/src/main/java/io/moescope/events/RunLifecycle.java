package io.moescope.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run starting or ending, sent before the first and after the last {@link TokenRouting} of the run.
 *
 * @param runId           unique id of the run
 * @param runName         the name the user gave the run
 * @param status          what happened
 * @param timestampMicros wall clock in microseconds since the epoch
 * @param source          {@code probe}, {@code import:<format>}, {@code replay} or {@code tap:<engine>}
 * @param model           the model that produced the routing
 * @param tokens          tokens routed so far (prompt and generated); 0 when the run starts
 * @param requestsNotSeparable why the run's requests cannot be told apart (e.g. a trace that logs one request id
 *                        for a batch of prompts), so that sequence metrics are undefined; null when they can
 * @param responses       a tap's responses by outcome ({@code captured}, {@code passed_through},
 *                        {@code decode_failed}, {@code too_large}, {@code upstream_error}, {@code not_recorded} ->
 *                        count) as counted when the event was sent (a decoded event keeps no order); null for runs
 *                        that are not taps
 */
public record RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                           ModelIdentity model, long tokens, String requestsNotSeparable, Map<String, Long> responses) {

    /** An event of a run that is not a tap. */
    public RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                        ModelIdentity model, long tokens, String requestsNotSeparable) {
        this(runId, runName, status, timestampMicros, source, model, tokens, requestsNotSeparable, null);
    }

    /** An event of a run whose requests can be told apart (every probe run, most imports). */
    public RunLifecycle(String runId, String runName, RunStatus status, long timestampMicros, String source,
                        ModelIdentity model, long tokens) {
        this(runId, runName, status, timestampMicros, source, model, tokens, null, null);
    }

    public RunLifecycle {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runName, "runName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
        if (responses != null) {
            var copy = new LinkedHashMap<String, Long>();
            responses.forEach((outcome, count) -> {
                Objects.requireNonNull(outcome, "responses outcome");
                if (count == null || count < 0) {
                    throw new IllegalArgumentException("responses " + outcome + " must be a count >= 0 but was "
                            + count);
                }
                copy.put(outcome, count);
            });
            responses = Collections.unmodifiableMap(copy);
        }
    }
}
