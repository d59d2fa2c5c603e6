package io.moescope.probe.run;

import java.util.List;
import java.util.Objects;

/**
 * One request of a probe run: plain text, or chat messages rendered with the checkpoint's chat template.
 *
 * @param requestId id unique within the run, part of every routing record's Kafka key
 * @param text      the prompt as the user wrote it (empty for a chat prompt)
 * @param messages  chat messages, empty for a plain-text prompt
 */
public record Prompt(String requestId, String text, List<ChatMessage> messages) {

    public Prompt {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(text, "text");
        messages = List.copyOf(messages);
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
    }

    /** A plain-text prompt. */
    public Prompt(String requestId, String text) {
        this(requestId, text, List.of());
    }

    public static Prompt chat(String requestId, List<ChatMessage> messages) {
        return new Prompt(requestId, "", messages);
    }

    public boolean isChat() {
        return !messages.isEmpty();
    }
}
