package io.moescope.cli;

/**
 * Descriptions of {@code --model} and {@code --prompts}, shared as text rather than as a mixin: probe requires
 * both, while for bench and replay their absence means something of its own (generated shapes, built-in prompts,
 * re-streaming), and picocli's {@code required} and defaults cannot vary between the uses of one mixin.
 */
final class ModelInputs {

    static final String CHECKPOINT = "HF checkpoint directory: config.json, model.safetensors, tokenizer.json";

    static final String PROMPT_FILE = "Plain text, one prompt per non-blank line; or JSON lines (a *.jsonl file), "
            + "one object per line: {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}]} (rendered with the "
            + "checkpoint's chat template family) or {\"prompt\": \"...\"}, optionally \"id\"";

    private ModelInputs() {
    }
}
