package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Megatron-Core router traces ({@code router_trace_rank{r}.jsonl}), one line per forward of one router:
 * {@code {"step":3,"stage":"train","block":"decoder","layer":2,"rank":0,"num_tokens":4,"topk":2,
 * "top_indices":[[5,1],[0,3],[7,2],[4,6]]}}, the tokens in the order the router saw them, ids only.
 * <p>
 * A step runs every layer once per micro-batch, so the m-th line of a (step, stage, layer) is micro-batch m; each
 * micro-batch is one request here ({@code rank0/step3/train/mb1}), its tokens numbered in router order. The trace
 * names no sequence: a micro-batch holds several sequences (Megatron's tokens are sequence-major across the batch),
 * so the run's requests are said not to be separable (its sequence metrics are then undefined). The tokens of a
 * training or prefill forward pass are all read at once, so they are labelled prefill. Lines of the
 * multi-token-prediction block ({@code "block": "mtp"}) are not decoder layers: they are left out, and counted in a
 * note.
 */
public final class MegatronRouterTraceImporter implements TraceImporter {

    static final String NOT_SEPARABLE = "a Megatron router trace names no sequence, and a micro-batch holds several"
            + " sequences in router order, so its consecutive tokens are not one sequence";

    @Override
    public TraceFormat format() {
        return TraceFormat.MEGATRON_ROUTER_TRACE;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        return first != null && first.has("top_indices") && first.has("step") && first.has("layer");
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var microBatches = new MicroBatches();
        long[] mtpLines = {0};
        long[] routed = {0};
        JsonLines.read(source, visitor, MegatronRouterTraceImporter::isMtp, (line, node) -> {
            if (isMtp(node)) {
                mtpLines[0]++;
                return;
            }
            requireDecoderBlock(node);
            Pass pass = Pass.of(node);
            String request = microBatches.request(pass);
            visitor.model(new ModelHints(null, null, null, null, pass.topK(), null));
            for (int token = 0; token < pass.topIndices().size(); token++) {
                int[] ids = JsonLines.ints(pass.topIndices().get(token), "top_indices[" + token + "]");
                if (ids.length != pass.topK()) {
                    throw new IllegalArgumentException("\"top_indices\"[" + token + "] holds " + ids.length
                            + " ids but \"topk\" is " + pass.topK());
                }
                var decision = RouterDecision.withoutEntropy(pass.layer(), ids, Weights.unknown(ids.length));
                visitor.row(line, LayerRow.of(request, token, Phase.PREFILL, decision));
            }
            routed[0]++;
        });
        if (mtpLines[0] > 0) {
            visitor.note(mtpLines[0] + " lines of the multi-token-prediction block (\"block\": \"mtp\") were left out:"
                    + " their routers are not decoder layers");
        }
        if (routed[0] > 0) {
            visitor.requestsNotSeparable(NOT_SEPARABLE);
        }
    }

    private static boolean isMtp(JsonNode node) {
        return "mtp".equals(JsonLines.text(node, "block", "decoder"));
    }

    private static void requireDecoderBlock(JsonNode node) {
        String block = JsonLines.text(node, "block", "decoder");
        if (!block.equals("decoder")) {
            throw new IllegalArgumentException("\"block\" is '" + block + "', expected decoder or mtp");
        }
    }

    /**
     * One line: one router's forward over the tokens of one micro-batch.
     *
     * @param stage Megatron's stage label, kept in the request's name ({@code ""} when absent)
     */
    private record Pass(int step, String stage, int rank, int layer, int topK, JsonNode topIndices) {

        static Pass of(JsonNode node) {
            int step = nonNegative(node, "step");
            int layer = nonNegative(node, "layer");
            int rank = node.has("rank") ? nonNegative(node, "rank") : 0;
            int topK = JsonLines.requiredInt(node, "topk");
            if (topK < 1) {
                throw new IllegalArgumentException("\"topk\" is " + topK + ", must be >= 1");
            }
            JsonNode tokens = node.get("top_indices");
            if (tokens == null || !tokens.isArray() || tokens.isEmpty()) {
                throw new IllegalArgumentException("missing or empty \"top_indices\" array");
            }
            int numTokens = JsonLines.requiredInt(node, "num_tokens");
            if (numTokens != tokens.size()) {
                throw new IllegalArgumentException("\"num_tokens\" is " + numTokens + " but \"top_indices\" holds "
                        + tokens.size() + " tokens");
            }
            return new Pass(step, JsonLines.text(node, "stage", ""), rank, layer, topK, tokens);
        }

        private static int nonNegative(JsonNode node, String field) {
            int value = JsonLines.requiredInt(node, field);
            if (value < 0) {
                throw new IllegalArgumentException("\"" + field + "\" is " + value + ", must be >= 0");
            }
            return value;
        }
    }

    /** Counts the lines of each (rank, step, stage, layer): the m-th is micro-batch m. Memory: one count per key. */
    private static final class MicroBatches {

        private record Key(int rank, int step, String stage, int layer) {
        }

        private final Map<Key, Integer> seen = new HashMap<>();
        private int step = -1;

        String request(Pass pass) {
            if (pass.step() != step) {
                // steps are written in order: counts of earlier steps are no longer needed
                seen.clear();
                step = pass.step();
            }
            int microBatch = seen.merge(new Key(pass.rank(), pass.step(), pass.stage(), pass.layer()), 1,
                    Integer::sum) - 1;
            String stage = pass.stage().isEmpty() ? "" : "/" + pass.stage();
            return String.format(Locale.ROOT, "rank%d/step%d%s/mb%d", pass.rank(), pass.step(), stage, microBatch);
        }
    }
}
