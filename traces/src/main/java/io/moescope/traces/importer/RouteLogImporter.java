package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.RouterDecision;
import java.io.IOException;
import java.util.List;

/**
 * vLLM / SGLang route log: a metadata line {@code {"type":"meta","model_id":...,"layers_logged":[0],"top_k":4}}
 * then {@code {"type":"route","req_id":"r1","token_idx":17,"layer":0,"topk_ids":[...],"topk_weights":[...]}}.
 * {@code token_idx} restarts with every forward pass, so each {@code req_id} is one stream in file order (one stream
 * for the whole file when {@code req_id} is constant or absent), rebuilt and given its phases by
 * {@link ForwardPassTracker}. A log of one stream whose {@code token_idx} never restarts (vLLM's OLMoE log counts it
 * across the whole file) is stored with phase unknown and reported as not separable: it may be one prefill or many
 * forward passes.
 */
public final class RouteLogImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.ROUTE_LOG;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        if (first == null) {
            return false;
        }
        String type = JsonLines.text(first, "type", "");
        return (type.equals("meta") && first.has("model_id") && !"hf-router-logits".equals(JsonLines.text(first, "format", "")))
                || (type.equals("route") && first.has("topk_ids"));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var passes = new ForwardPassTracker(visitor);
        JsonLines.read(source, visitor, JsonLines::isMetaType, (line, node) -> {
            String type = JsonLines.text(node, "type", "");
            if (type.equals("meta")) {
                visitor.model(new ModelHints(null, null, JsonLines.text(node, "model_id", null),
                        JsonLines.optionalInt(node, "num_experts"), JsonLines.optionalInt(node, "top_k"), null));
                return;
            }
            if (!type.equals("route")) {
                throw new IllegalArgumentException("\"type\" is '" + type + "', expected meta or route");
            }
            String request = JsonLines.text(node, "req_id", "stream");
            int layer = JsonLines.requiredInt(node, "layer");
            int[] ids = JsonLines.intArray(node, "topk_ids");
            float[] weights = node.has("topk_weights") ? JsonLines.floatArray(node.get("topk_weights"), "topk_weights")
                    : Weights.unknown(ids.length);
            var decision = RouterDecision.withoutEntropy(layer, ids, weights);
            passes.place(line, request, layer, JsonLines.requiredInt(node, "token_idx"),
                    (token, phase) -> LayerRow.of(request, token, phase, decision));
        });
        passes.finish("token_idx");
    }
}
