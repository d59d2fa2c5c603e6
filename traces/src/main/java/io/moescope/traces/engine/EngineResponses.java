package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Decodes the routed experts of one engine response body, whichever engine wrote it: an SGLang {@code /generate}
 * response ({@code meta_info}), a vLLM OpenAI response ({@code choices}), or a vLLM line of nested lists
 * ({@code request_id}, {@code num_prompt_tokens}, {@code routed_experts}). Works on one body at a time and needs no
 * file: the importer calls it per line, a pass-through proxy can call it per response.
 */
public final class EngineResponses {

    private EngineResponses() {
    }

    /** Whether {@code body} is a response this class decodes (it carries routed experts). */
    public static boolean carriesRouting(JsonNode body) {
        if (body == null || !body.isObject()) {
            return false;
        }
        if (body.path("meta_info").has("routed_experts") || body.has("routed_experts")
                || body.has("prompt_routed_experts")) {
            return true;
        }
        return body.path("choices").isArray() && body.path("choices").path(0).has("routed_experts");
    }

    /**
     * @return one sequence per choice (one for SGLang and the nested-list lines)
     * @throws IllegalArgumentException naming the field and the reason when the routing cannot be decoded
     */
    public static List<RoutedSequence> decode(JsonNode body, ResponseContext context) {
        if (body.has("meta_info")) {
            return SglangResponse.decode(body, context);
        }
        if (body.has("choices")) {
            return VllmResponse.decode(body, context);
        }
        return List.of(nestedListLine(body, context));
    }

    private static RoutedSequence nestedListLine(JsonNode body, ResponseContext context) {
        String id = ResponseFields.text(body, "request_id");
        int prompt = ResponseFields.requiredInt(body, "", "num_prompt_tokens");
        ExpertGrid grid = VllmResponse.grid(body.get("routed_experts"), "routed_experts");
        if (grid == null) {
            throw new IllegalArgumentException("\"routed_experts\" is missing or null");
        }
        int start = context.rowOffset() != null ? context.rowOffset() : 0;
        return new RoutedSequence(id != null ? id : context.fallbackId(), prompt, start, grid, new int[0]);
    }
}
