package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.traces.routing.RouterRule;
import java.io.IOException;
import java.util.List;

/**
 * HF transformers {@code output_router_logits=True}, saved as JSON lines of raw gate logits, one per (token, layer):
 * an optional first line {@code {"type":"meta","format":"hf-router-logits","model_id":...,"top_k":2,
 * "norm_topk_prob":true}}, then {@code {"request_id":"r1","token_idx":0,"token_id":17,"phase":"prefill",
 * "layer":0,"logits":[...N floats...]}}. The decision is recomputed exactly as the model does, by the
 * {@link RouterRule} of its config.json ({@code --model-config}; DeepSeek-V3's noaux_tc also needs the meta line's
 * {@code "e_score_correction_bias": {"3": [...N floats...], ...}}), else by softmax over N, top-k, renormalised when
 * the model renormalises ({@link KnownModels}, the meta line or the user's option).
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
        var state = new State(hints);
        JsonLines.read(source, visitor, JsonLines::isMetaType, (line, node) -> {
            if (JsonLines.isMetaType(node)) {
                state.meta(node, visitor);
                return;
            }
            float[] logits = JsonLines.floatArray(node.get("logits"), "logits");
            state.expertsFrom(logits, visitor);
            int layer = JsonLines.requiredInt(node, "layer");
            int token = JsonLines.requiredInt(node, "token_idx");
            if (token < 0) {
                throw new IllegalArgumentException("negative token_idx " + token);
            }
            RouterRule rule = state.rule();
            RouterRule.Routed routed = rule.route(logits, state.biases.forLayer(layer, rule));
            Integer tokenId = JsonLines.optionalInt(node, "token_id");
            Phase phase = LayerRow.phase(JsonLines.text(node, "phase", "prefill"));
            visitor.row(line, new LayerRow(JsonLines.text(node, "request_id", "0"), token,
                    tokenId == null ? -1 : tokenId, phase, LayerRow.UNKNOWN_TIME, new RouterDecision(layer,
                    routed.choice().ids(), routed.choice().weights(), routed.entropy())));
        });
    }

    /** What the lines read so far say: the effective hints, the rule they give, the correction biases. */
    private static final class State {

        private final ModelHints user;
        private ModelHints effective;
        private RouterRule rule;
        private CorrectionBiases biases = CorrectionBiases.NONE;

        State(ModelHints user) {
            this.user = user;
            this.effective = user;
        }

        void meta(JsonNode node, TraceVisitor visitor) {
            JsonNode norm = node.get("norm_topk_prob");
            var meta = new ModelHints(null, null, JsonLines.text(node, "model_id", null),
                    JsonLines.optionalInt(node, "num_experts"), JsonLines.optionalInt(node, "top_k"),
                    norm != null && norm.isBoolean() ? norm.booleanValue() : null);
            biases = CorrectionBiases.of(node);
            visitor.model(meta);
            setEffective(user.orElse(meta));
        }

        /** The logits span all N experts: the one format that states N on every line. */
        void expertsFrom(float[] logits, TraceVisitor visitor) {
            if (effective.numExperts() == null) {
                var fromLogits = new ModelHints(null, null, null, logits.length, null, null);
                visitor.model(fromLogits);
                setEffective(effective.orElse(fromLogits));
            } else if (logits.length != effective.numExperts()) {
                throw new IllegalArgumentException(logits.length + " logits but the model has "
                        + effective.numExperts() + " experts");
            }
        }

        /** Decided once per change of the hints, not per row. */
        RouterRule rule() {
            if (rule == null) {
                rule = LogitsRule.of(effective, effective.numExperts());
            }
            return rule;
        }

        private void setEffective(ModelHints hints) {
            effective = hints;
            rule = null;
        }
    }
}
