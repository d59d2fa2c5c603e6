package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.RouterDecision;
import io.moescope.traces.engine.EngineResponses;
import io.moescope.traces.engine.ResponseContext;
import io.moescope.traces.engine.RoutedSequence;
import java.io.IOException;
import java.util.List;

/**
 * Saved engine responses with per-request routed experts, one JSON object per line, decoded by
 * {@link EngineResponses} (formats in docs/trace-formats.md): vLLM OpenAI responses ({@code choices[i].routed_experts},
 * base64 {@code .npy}), SGLang {@code /generate} responses ({@code meta_info.routed_experts}, raw bytes), and vLLM
 * lines of nested lists. Each choice is one request; positions below the prompt's token count are prefill, the rest
 * decode; ids only, weights unknown (NaN). The engines size the layer axis by every hidden layer: with the model's
 * config ({@code --model-config}) the dense layers are dropped, without one a response with all-zero rows is refused.
 * A request's row offset ({@code routed_experts_prompt_start}, {@code routed_experts_start_len}) is read from the
 * saved response.
 */
public final class RoutedExpertsImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.ROUTED_EXPERTS;
    }

    @Override
    public boolean recognises(List<String> head) {
        return !head.isEmpty() && EngineResponses.carriesRouting(JsonLines.parse(head.get(0)));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        JsonLines.read(source, visitor, (line, node) -> {
            Integer k = JsonLines.optionalInt(node, "top_k");
            var context = new ResponseContext(null, hints.modelConfig(), k != null ? k : hints.topK(),
                    "line-" + line);
            for (RoutedSequence sequence : EngineResponses.decode(node, context)) {
                rows(line, sequence, sequence.routedLayers(hints.modelConfig()), visitor);
            }
        });
    }

    private static void rows(long line, RoutedSequence sequence, List<Integer> layers, TraceVisitor visitor) {
        for (int row = 0; row < sequence.experts().rows(); row++) {
            for (RouterDecision decision : sequence.decisions(row, layers)) {
                visitor.row(line, new LayerRow(sequence.requestId(), sequence.position(row), sequence.tokenId(row),
                        sequence.phase(row), LayerRow.UNKNOWN_TIME, decision));
            }
        }
    }
}
