package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * SGLang's {@code /generate} response with {@code return_routed_experts: true}: {@code meta_info.routed_experts} is
 * base64 of raw row-major bytes without a header, of {@code meta_info.routed_experts_dtype} ({@code int32}, the
 * default also when the key is absent, {@code uint16} or {@code uint8}), read as
 * {@code (-1, num_hidden_layers * top_k)}; row p is the routing that produced token p + 1, from the request's
 * {@code routed_experts_start_len} on. The bytes carry no shape: the layers come from the model's config, else the
 * layer count follows from the ids per layer ({@code top_k} on the line, or the user's) and the token counts.
 */
final class SglangResponse {

    static final String OFFSET_FIELD = "routed_experts_start_len";

    private SglangResponse() {
    }

    static List<RoutedSequence> decode(JsonNode body, ResponseContext context) {
        JsonNode meta = body.get("meta_info");
        String id = ResponseFields.text(meta, "id");
        id = id != null ? id : ResponseFields.text(body, "rid");
        id = id != null ? id : context.fallbackId();
        int prompt = ResponseFields.requiredInt(meta, "meta_info.", "prompt_tokens");
        int completion = ResponseFields.requiredInt(meta, "meta_info.", "completion_tokens");
        Integer offset = context.rowOffset() != null ? context.rowOffset()
                : ResponseFields.optionalInt(meta, "meta_info.", OFFSET_FIELD);
        int start = offset != null ? offset : 0;
        JsonNode payload = meta.get("routed_experts");
        if (payload == null || !ResponseFields.isBase64(payload)) {
            throw new IllegalArgumentException("\"meta_info.routed_experts\" is missing or not a base64 string: was "
                    + "the request sent with return_routed_experts: true to a server started with "
                    + "--enable-return-routed-experts?");
        }
        String dtype = ResponseFields.text(meta, "routed_experts_dtype");
        IntegerType type = IntegerType.ofSglang(dtype);
        byte[] bytes = ResponseFields.base64(payload, "meta_info.routed_experts");
        int rows = prompt + completion - 1 - start;
        ExpertGrid grid = grid(bytes, type, dtype == null ? "int32" : dtype, rows, context);
        return List.of(new RoutedSequence(id, prompt, start, grid, tokenIds(prompt, body)));
    }

    /** The response returns the completion's ids ({@code output_ids}), not the prompt's: those stay unknown. */
    private static int[] tokenIds(int prompt, JsonNode body) {
        int[] output = ResponseFields.ints(body, "", "output_ids");
        int[] ids = new int[prompt + output.length];
        Arrays.fill(ids, 0, prompt, -1);
        System.arraycopy(output, 0, ids, prompt, output.length);
        return ids;
    }

    private static ExpertGrid grid(byte[] bytes, IntegerType type, String dtype, int rows, ResponseContext context) {
        if (bytes.length % type.bytes() != 0) {
            throw new IllegalArgumentException("\"meta_info.routed_experts\" holds " + bytes.length + " bytes, not "
                    + "a whole number of " + dtype + " ids");
        }
        int count = bytes.length / type.bytes();
        Integer layers = context.config() != null ? Integer.valueOf(context.config().numHiddenLayers()) : null;
        Integer slots = layers == null ? context.topK() : null;
        if (layers == null && slots == null) {
            throw new IllegalArgumentException("SGLang's routed experts carry no shape: pass --model-config (the "
                    + "model's config.json), or top_k on the line or --top-k");
        }
        long perRow = rows <= 0 ? 0 : count / rows;
        int known = layers != null ? layers : slots;
        if (rows <= 0 || perRow * rows != count || perRow % known != 0 || perRow == 0) {
            throw new IllegalArgumentException("\"meta_info.routed_experts\" holds " + count + " " + dtype + " ids, "
                    + "which do not fill " + rows + " rows (prompt_tokens + completion_tokens - 1 - " + OFFSET_FIELD
                    + ") of " + (layers != null ? "num_hidden_layers " + layers + " x k" : "layers x top_k " + slots));
        }
        int other = (int) (perRow / known);
        return layers != null
                ? new ExpertGrid(rows, layers, other, type.decode(ByteBuffer.wrap(bytes), count))
                : new ExpertGrid(rows, other, slots, type.decode(ByteBuffer.wrap(bytes), count));
    }
}
