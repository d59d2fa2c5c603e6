package io.moescope.probe.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders chat messages to prompt text. HF ships chat templates as Jinja in {@code tokenizer_config.json}; rather
 * than embed a Jinja engine, this recognises the families the supported models use by their markers and renders
 * them directly, ending with the assistant's turn opened: ChatML ({@code <|im_start|>}, Qwen), Mistral
 * ({@code [INST]}, Mixtral instruct), Tulu ({@code <|user|>}, OLMoE instruct). Without a template (base models) it
 * writes {@code role: content} lines and {@code assistant:}. BOS is left to the tokenizer's post-processor.
 */
enum ChatTemplate {
    CHATML, MISTRAL, TULU, PLAIN;

    static ChatTemplate of(Path checkpointDir) {
        Path config = checkpointDir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return PLAIN;
        }
        String template;
        try {
            JsonNode node = new ObjectMapper().readTree(config.toFile()).path("chat_template");
            template = node.isTextual() ? node.asText() : node.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage(), e);
        }
        if (template.contains("<|im_start|>")) {
            return CHATML;
        } else if (template.contains("[INST]")) {
            return MISTRAL;
        } else if (template.contains("<|user|>")) {
            return TULU;
        }
        return PLAIN;
    }

    String render(List<ChatMessage> messages) {
        var out = new StringBuilder();
        for (ChatMessage m : messages) {
            switch (this) {
                case CHATML -> out.append("<|im_start|>").append(m.role()).append('\n').append(m.content())
                        .append("<|im_end|>\n");
                case MISTRAL -> out.append(m.role().equals("assistant") ? " " + m.content() + "</s>"
                        : "[INST] " + m.content() + " [/INST]");
                case TULU -> out.append("<|").append(m.role()).append("|>\n").append(m.content()).append('\n');
                case PLAIN -> out.append(m.role()).append(": ").append(m.content()).append('\n');
            }
        }
        switch (this) {
            case CHATML -> out.append("<|im_start|>assistant\n");
            case TULU -> out.append("<|assistant|>\n");
            case PLAIN -> out.append("assistant:");
            case MISTRAL -> { }
        }
        return out.toString();
    }
}
