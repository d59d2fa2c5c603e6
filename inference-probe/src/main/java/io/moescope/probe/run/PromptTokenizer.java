package io.moescope.probe.run;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.probe.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The checkpoint's HF {@code tokenizer.json}, loaded by DJL's native tokenizers binding (offline). */
final class PromptTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private PromptTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    static PromptTokenizer open(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new CheckpointException("tokenizer.json is missing: expected " + tokenizerJson);
        }
        try {
            // No truncation: a prompt longer than the tokenizer's default limit must not be cut silently.
            return new PromptTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("truncation", "false", "padding", "false")));
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}, with the special tokens the tokenizer's post-processor adds (e.g. BOS). */
    int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    String decode(List<Integer> ids) {
        return tokenizer.decode(ids.stream().mapToLong(Integer::longValue).toArray(), true);
    }

    /** The text of {@code ids} with special tokens shown as their names ({@code <s>}), as the token view shows them. */
    String decodeShowingSpecials(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
