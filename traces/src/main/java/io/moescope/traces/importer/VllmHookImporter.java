package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import java.io.IOException;
import java.util.List;

/**
 * vLLM FusedMoE-hook JSON lines, one object per (token, layer):
 * {@code {"dataset":"humaneval","problem_id":0,"layer":0,"token_idx":0,"experts":[6,5],"gating_probs":[0.69,0.30]}}.
 * {@code dataset} + {@code problem_id} name the request. With {@code token_idx} (index of a generated token) every
 * row is a decode token; with {@code token_pos} (position in the forward batch) the request's order is rebuilt by
 * {@link ForwardPassTracker}: the first pass is the prefill, each later pass one decode step (phase unknown once
 * a later pass holds several tokens, and for every row of a file of one request whose positions never restart).
 */
public final class VllmHookImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.VLLM_HOOK;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        return first != null && first.has("experts") && first.has("layer")
                && (first.has("token_idx") || first.has("token_pos"));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var passes = new ForwardPassTracker(visitor);
        JsonLines.read(source, visitor, (line, node) -> {
            String request = JsonLines.text(node, "dataset", "") + "/" + JsonLines.text(node, "problem_id", "0");
            int layer = JsonLines.requiredInt(node, "layer");
            int[] experts = JsonLines.intArray(node, "experts");
            float[] weights = node.has("gating_probs") ? JsonLines.floatArray(node.get("gating_probs"), "gating_probs")
                    : Weights.unknown(experts.length);
            var decision = RouterDecision.withoutEntropy(layer, experts, weights);
            if (node.has("token_pos")) {
                passes.place(line, request, layer, JsonLines.requiredInt(node, "token_pos"),
                        (token, phase) -> LayerRow.of(request, token, phase, decision));
            } else {
                int token = JsonLines.requiredInt(node, "token_idx");
                if (token < 0) {
                    throw new IllegalArgumentException("negative token_idx " + token);
                }
                visitor.row(line, LayerRow.of(request, token, Phase.DECODE, decision));
            }
        });
        passes.finish("token_pos");
    }
}
