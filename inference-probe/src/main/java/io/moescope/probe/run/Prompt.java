package io.moescope.probe.run;

import java.util.Objects;

/**
 * One request of a probe run.
 *
 * @param requestId id unique within the run, part of every routing record's Kafka key
 * @param text      the prompt as the user wrote it
 */
public record Prompt(String requestId, String text) {

    public Prompt {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(text, "text");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
    }
}
