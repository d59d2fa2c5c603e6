package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Base64;
import java.util.List;

/**
 * Per-request routed experts as the engines return them, one JSON object per request and line; ids only, weights
 * unknown (NaN).
 * <ul>
 * <li>vLLM {@code --enable-return-routed-experts}: {@code {"request_id":"r1","num_prompt_tokens":P,
 *     "routed_experts":[[[e,..],..],..]}}, shape {@code [num_tokens - 1, num_layers, top_k]}.</li>
 * <li>SGLang {@code return_routed_experts=true}: {@code {"rid":"r1","meta_info":{"prompt_tokens":P,
 *     "completion_tokens":C,"routed_experts":"<base64>"}}}, little-endian int32 C-order
 *     {@code [P + C - 1, num_layers, top_k]}; k comes from {@code "top_k"} on the line or the user's {@code --top-k}.</li>
 * </ul>
 * Tokens before P are prefill, the rest decode; layers are numbered 0..num_layers-1.
 */
public final class RoutedExpertsImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.ROUTED_EXPERTS;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        return first != null && (first.has("routed_experts")
                || (first.has("meta_info") && first.get("meta_info").has("routed_experts")));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        JsonLines.read(source, visitor, (line, node) -> {
            if (node.has("meta_info")) {
                sglang(line, node, hints, visitor);
            } else {
                vllm(line, node, visitor);
            }
        });
    }

    private static void vllm(long line, JsonNode node, TraceVisitor visitor) {
        String request = JsonLines.text(node, "request_id", "line-" + line);
        int prompt = JsonLines.requiredInt(node, "num_prompt_tokens");
        JsonNode tokens = node.get("routed_experts");
        if (tokens == null || !tokens.isArray()) {
            throw new IllegalArgumentException("\"routed_experts\" is not an array [tokens][layers][top_k]");
        }
        for (int t = 0; t < tokens.size(); t++) {
            JsonNode layers = tokens.get(t);
            if (!layers.isArray()) {
                throw new IllegalArgumentException("routed_experts[" + t + "] is not an array [layers][top_k]");
            }
            for (int layer = 0; layer < layers.size(); layer++) {
                int[] ids = JsonLines.ints(layers.get(layer), "routed_experts");
                visitor.row(line, row(request, t, prompt, layer, ids));
            }
        }
    }

    private static void sglang(long line, JsonNode node, ModelHints hints, TraceVisitor visitor) {
        JsonNode meta = node.get("meta_info");
        String request = JsonLines.text(node, "rid", JsonLines.text(meta, "id", "line-" + line));
        int prompt = JsonLines.requiredInt(meta, "prompt_tokens");
        int completion = JsonLines.requiredInt(meta, "completion_tokens");
        Integer k = JsonLines.optionalInt(node, "top_k");
        k = k != null ? k : hints.topK();
        if (k == null) {
            throw new IllegalArgumentException("SGLang routed experts need top_k on the line or --top-k");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(JsonLines.text(meta, "routed_experts", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routed_experts is not base64: " + e.getMessage());
        }
        int rows = prompt + completion - 1;
        if (rows < 1 || bytes.length % 4 != 0 || (bytes.length / 4) % ((long) rows * k) != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes do not fit int32 [" + rows + ", layers, " + k
                    + "]");
        }
        IntBuffer ints = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int layers = ints.remaining() / (rows * k);
        for (int t = 0; t < rows; t++) {
            for (int layer = 0; layer < layers; layer++) {
                int[] ids = new int[k];
                ints.get(ids);
                visitor.row(line, row(request, t, prompt, layer, ids));
            }
        }
    }

    private static LayerRow row(String request, int token, int prompt, int layer, int[] ids) {
        return LayerRow.of(request, token, token < prompt ? Phase.PREFILL : Phase.DECODE,
                RouterDecision.withoutEntropy(layer, ids, Weights.unknown(ids.length)));
    }
}
