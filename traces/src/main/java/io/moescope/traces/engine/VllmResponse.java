package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * vLLM's OpenAI-server responses ({@code /v1/completions}, {@code /v1/chat/completions}) of a server started with
 * {@code --enable-return-routed-experts}: {@code choices[i].routed_experts} is standard base64 of a whole
 * {@code .npy} file, int32 {@code [positions, num_hidden_layers, top_k]} from the request's
 * {@code routed_experts_prompt_start} to the last position fed forward (prompt + completion - 1). When the response
 * also carries {@code prompt_routed_experts} (same encoding), that holds the prompt's rows and each choice's array
 * the completion's. Nested JSON lists {@code [[[...]]]} are read too (older servers and tools).
 */
final class VllmResponse {

    static final String OFFSET_FIELD = "routed_experts_prompt_start";

    private VllmResponse() {
    }

    static List<RoutedSequence> decode(JsonNode body, ResponseContext context) {
        String id = ResponseFields.text(body, "id");
        id = id != null ? id : context.fallbackId();
        JsonNode usage = body.path("usage");
        int prompt = ResponseFields.requiredInt(usage, "usage.", "prompt_tokens");
        Integer offset = context.rowOffset() != null ? context.rowOffset()
                : ResponseFields.optionalInt(body, "", OFFSET_FIELD);
        int start = offset != null ? offset : 0;
        JsonNode choices = body.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new IllegalArgumentException("no \"choices\"");
        }
        ExpertGrid promptRows = grid(body.get("prompt_routed_experts"), "prompt_routed_experts");
        if (promptRows != null) {
            ResponseFields.checkRows("prompt_routed_experts", promptRows.rows(), prompt - start,
                    "usage.prompt_tokens " + prompt + " - " + OFFSET_FIELD + " " + start,
                    offset == null ? OFFSET_FIELD : null);
        }
        int[] promptIds = ResponseFields.ints(body, "", "prompt_token_ids");
        var sequences = new ArrayList<RoutedSequence>(choices.size());
        for (int i = 0; i < choices.size(); i++) {
            JsonNode choice = choices.get(i);
            String path = "choices[" + i + "].";
            String request = choices.size() == 1 ? id : id + "/" + choice.path("index").asInt(i);
            ExpertGrid rows = grid(choice.get("routed_experts"), path + "routed_experts");
            if (rows == null) {
                throw new IllegalArgumentException("\"" + path + "routed_experts\" is missing or null: was vLLM "
                        + "started with --enable-return-routed-experts, and was the response not streamed?");
            }
            int[] completionIds = ResponseFields.ints(choice, path, "token_ids");
            Integer completion = choice.hasNonNull("token_ids") ? Integer.valueOf(completionIds.length)
                    : choices.size() == 1 ? ResponseFields.optionalInt(usage, "usage.", "completion_tokens") : null;
            int[] ids = promptIds.length > 0 ? promptIds : ResponseFields.ints(choice, path, "prompt_token_ids");
            sequences.add(new RoutedSequence(request, prompt, start,
                    sequenceRows(promptRows, rows, prompt, completion, offset, path), concat(ids, completionIds)));
        }
        return sequences;
    }

    /** The rows of one choice from {@code start} on, checked against the token counts where they are known. */
    private static ExpertGrid sequenceRows(ExpertGrid promptRows, ExpertGrid rows, int prompt, Integer completion,
                                           Integer offset, String path) {
        if (promptRows == null) {
            int start = offset != null ? offset : 0;
            if (completion != null) {
                ResponseFields.checkRows(path + "routed_experts", rows.rows(), prompt + completion - 1 - start,
                        "prompt " + prompt + " + completion " + completion + " - 1 - " + OFFSET_FIELD + " " + start,
                        offset == null ? OFFSET_FIELD : null);
            }
            return rows;
        }
        if (completion != null) {
            ResponseFields.checkRows(path + "routed_experts", rows.rows(), completion - 1,
                    "completion " + completion + " - 1", null);
        }
        if (rows.layers() != promptRows.layers() || rows.slots() != promptRows.slots()) {
            throw new IllegalArgumentException("\"" + path + "routed_experts\" is " + rows + " but "
                    + "\"prompt_routed_experts\" is " + promptRows);
        }
        int[] ids = new int[promptRows.ids().length + rows.ids().length];
        System.arraycopy(promptRows.ids(), 0, ids, 0, promptRows.ids().length);
        System.arraycopy(rows.ids(), 0, ids, promptRows.ids().length, rows.ids().length);
        return new ExpertGrid(promptRows.rows() + rows.rows(), rows.layers(), rows.slots(), ids);
    }

    /** A base64 {@code .npy} string or nested lists; null when absent or JSON null. */
    static ExpertGrid grid(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (ResponseFields.isBase64(value)) {
            try {
                return NpyFile.routedExperts(ResponseFields.base64(value, path));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + path + "\": " + e.getMessage(), e);
            }
        }
        if (value.isArray()) {
            return NestedLists.grid(value, path);
        }
        throw new IllegalArgumentException("\"" + path + "\" is neither a base64 .npy string nor nested lists");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = new int[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
