package io.moescope.probe.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;

/** One line of a JSON-lines prompts file; errors name the file, the line and the field. */
final class JsonPromptLine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPromptLine() {
    }

    static Prompt parse(Path file, int line, String text, String defaultId) {
        String where = "prompts file " + file + " line " + line;
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PromptFileException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PromptFileException(where + " is not a JSON object");
        }
        String id = root.hasNonNull("id") ? root.get("id").asText() : defaultId;
        if (root.has("messages")) {
            JsonNode list = root.get("messages");
            if (!list.isArray() || list.isEmpty()) {
                throw new PromptFileException(where + ": \"messages\" must be a non-empty list");
            }
            var messages = new ArrayList<ChatMessage>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode m = list.get(i);
                if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                    throw new PromptFileException(where + ": messages[" + i + "] needs text fields \"role\" and "
                            + "\"content\"");
                }
                messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            }
            return Prompt.chat(id, messages);
        }
        if (root.path("prompt").isTextual()) {
            return new Prompt(id, root.get("prompt").asText());
        }
        throw new PromptFileException(where + " has neither \"messages\" nor a text \"prompt\"");
    }
}
