package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportEnd;
import io.moescope.traces.export.ExportHeader;
import io.moescope.traces.export.ExportTally;
import java.io.IOException;
import java.util.List;

/**
 * moescope's own JSON-lines export (see {@code JsonlExportWriter}): header line, then one token per line, then (since
 * version 2) the end line. A file whose header announces more tokens than it holds is refused, see
 * {@link PartialExports}.
 */
public final class MoescopeJsonlImporter implements TraceImporter {

    @Override
    public TraceFormat format() {
        return TraceFormat.MOESCOPE_JSONL;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        return first != null && ExportFormat.MAGIC.equals(JsonLines.text(first, "format", ""));
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var tally = new ExportTally(ExportFormat.JSONL);
        JsonLines.read(source, visitor, text -> PartialExports.count(tally, text),
                node -> node.has("format") || ExportEnd.fromJson(node).isPresent(), (line, node) -> {
            if (ExportEnd.fromJson(node).isPresent()) {
                return;
            }
            if (node.has("format")) {
                ExportHeaders.tell(ExportHeader.fromJson(node), visitor);
                return;
            }
            String request = JsonLines.text(node, "request", null);
            if (request == null) {
                throw new IllegalArgumentException("missing \"request\"");
            }
            int token = JsonLines.requiredInt(node, "token");
            if (token < 0) {
                throw new IllegalArgumentException("negative token " + token);
            }
            int tokenId = JsonLines.requiredInt(node, "tokenId");
            Phase phase = LayerRow.phase(JsonLines.text(node, "phase", ""));
            JsonNode t = node.get("t");
            if (t == null || !t.isIntegralNumber()) {
                throw new IllegalArgumentException("missing or non-integer \"t\"");
            }
            int[] layers = JsonLines.intArray(node, "layers");
            JsonNode experts = node.get("experts");
            JsonNode weights = node.get("weights");
            float[] entropy = JsonLines.floatArray(node.get("entropy"), "entropy");
            if (experts == null || weights == null || experts.size() != layers.length
                    || weights.size() != layers.length || entropy.length != layers.length) {
                throw new IllegalArgumentException("layers, experts, weights and entropy differ in length");
            }
            for (int i = 0; i < layers.length; i++) {
                var decision = new RouterDecision(layers[i], JsonLines.ints(experts.get(i), "experts"),
                        JsonLines.floatArray(weights.get(i), "weights"), entropy[i]);
                visitor.row(line, new LayerRow(request, token, tokenId, phase, t.longValue(), decision));
            }
        });
        PartialExports.refuse(tally, source);
    }
}
