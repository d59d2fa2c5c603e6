package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import java.io.IOException;
import java.util.List;

/**
 * HF transformers {@code output_router_logits=True}, saved as JSON lines of raw gate logits, one per (token, layer):
 * an optional first line {@code {"type":"meta","format":"hf-router-logits","model_id":...,"top_k":2,
 * "norm_topk_prob":true}}, then {@code {"request_id":"r1","token_idx":0,"token_id":17,"phase":"prefill",
 * "layer":0,"logits":[...N floats...]}}. The decision is recomputed exactly as the model does: softmax over N,
 * top-k, renormalised when the model renormalises ({@link KnownModels}, the meta line or the user's option);
 * the full distribution also gives the router entropy.
 */
public final class HfLogitsImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.HF_LOGITS;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        if (first == null) {
            return false;
        }
        return first.has("logits") || "hf-router-logits".equals(JsonLines.text(first, "format", ""));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var effective = new ModelHints[] {hints};
        JsonLines.read(source, visitor, JsonLines::isMetaType, (line, node) -> {
            if (JsonLines.isMetaType(node)) {
                JsonNode norm = node.get("norm_topk_prob");
                var meta = new ModelHints(null, null, JsonLines.text(node, "model_id", null),
                        JsonLines.optionalInt(node, "num_experts"), JsonLines.optionalInt(node, "top_k"),
                        norm != null && norm.isBoolean() ? norm.booleanValue() : null);
                visitor.model(meta);
                effective[0] = hints.orElse(meta);
                return;
            }
            float[] logits = JsonLines.floatArray(node.get("logits"), "logits");
            if (effective[0].numExperts() == null) {
                // The logits span all N experts: the one format that states N on every line.
                var fromLogits = new ModelHints(null, null, null, logits.length, null, null);
                visitor.model(fromLogits);
                effective[0] = effective[0].orElse(fromLogits);
            } else if (logits.length != effective[0].numExperts()) {
                throw new IllegalArgumentException(logits.length + " logits but the model has "
                        + effective[0].numExperts() + " experts");
            }
            var known = KnownModels.find(effective[0].modelId());
            Integer k = effective[0].topK() != null ? effective[0].topK() : known.map(KnownModels.Shape::topK).orElse(null);
            Boolean normalise = effective[0].normaliseTopK() != null ? effective[0].normaliseTopK()
                    : known.map(KnownModels.Shape::normaliseTopK).orElse(null);
            if (k == null || normalise == null) {
                throw new IllegalArgumentException("top-k and normalisation unknown: give a meta line with top_k and "
                        + "norm_topk_prob, a known model_id, or --top-k and --normalise-top-k");
            }
            int layer = JsonLines.requiredInt(node, "layer");
            int token = JsonLines.requiredInt(node, "token_idx");
            if (token < 0) {
                throw new IllegalArgumentException("negative token_idx " + token);
            }
            Integer tokenId = JsonLines.optionalInt(node, "token_id");
            Phase phase = LayerRow.phase(JsonLines.text(node, "phase", "prefill"));
            visitor.row(line, new LayerRow(JsonLines.text(node, "request_id", "0"), token,
                    tokenId == null ? -1 : tokenId, phase, LayerRow.UNKNOWN_TIME,
                    RouterLogits.decide(layer, logits, k, normalise)));
        });
    }
}
