package io.moescope.probe.run;

import java.util.Objects;

/** One message of a chat prompt, as in the OpenAI / HF chat format. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
