package io.moescope.traces.importer;

import io.moescope.events.RouterDecision;
import io.moescope.traces.export.ExportEnd;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportHeader;
import io.moescope.traces.export.ExportTally;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV, one row per (token, layer), with a column line naming at least {@code request_id, token_index, layer,
 * expert_ids} (ids {@code |}-separated); optional {@code token_id, phase, timestamp_micros, weights,
 * router_entropy}, in any order. moescope's CSV export is this format with a {@code # {header JSON}} first line,
 * which restores the run name and model identity exactly, and (since version 2) a {@code # {end JSON}} last line; a
 * file whose header announces more tokens than it holds is refused, see {@link PartialExports}.
 */
public final class CsvImporter implements TraceImporter {

    private static final List<String> REQUIRED = List.of("request_id", "token_index", "layer", "expert_ids");

    @Override
    public TraceFormat format() {
        return TraceFormat.CSV;
    }

    @Override
    public boolean recognises(List<String> head) {
        for (String line : head) {
            if (!line.startsWith("#")) {
                return columns(line).keySet().containsAll(REQUIRED);
            }
        }
        return false;
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var tally = new ExportTally(ExportFormat.CSV);
        try (TraceLines lines = TraceLines.open(source, visitor)) {
            Map<String, Integer> columns = null;
            for (String text = lines.next(); text != null; text = lines.next()) {
                long line = lines.line();
                PartialExports.count(tally, text);
                if (text.isBlank()) {
                    continue;
                }
                if (text.startsWith("#")) {
                    header(text.substring(1).trim(), visitor);
                    continue;
                }
                if (columns == null) {
                    columns = columns(text);
                    var missing = new java.util.TreeSet<>(REQUIRED);
                    missing.removeAll(columns.keySet());
                    if (!missing.isEmpty()) {
                        throw new IllegalArgumentException(source.name() + " line " + line + ": the column line lacks "
                                + missing + " (it must name " + REQUIRED + ")");
                    }
                    continue;
                }
                visitor.lineRead(line);
                try {
                    visitor.row(line, row(CsvLine.split(text), columns));
                } catch (IllegalArgumentException e) {
                    visitor.reject(line, e.getMessage());
                }
            }
        }
        PartialExports.refuse(tally, source);
    }

    private static void header(String json, TraceVisitor visitor) {
        if (json.startsWith("{") && ExportEnd.fromJson(JsonLines.parse(json)).isEmpty()) {
            ExportHeaders.tell(ExportHeader.parse(json), visitor);
        }
    }

    private static LayerRow row(List<String> f, Map<String, Integer> c) {
        if (f.size() != c.size()) {
            throw new IllegalArgumentException(f.size() + " fields but " + c.size() + " columns");
        }
        int[] ids = ints(get(f, c, "expert_ids"));
        String weights = get(f, c, "weights");
        float[] w = weights == null || weights.isEmpty() ? Weights.unknown(ids.length) : floats(weights);
        String entropy = get(f, c, "router_entropy");
        var decision = new RouterDecision(integer(get(f, c, "layer"), "layer"), ids, w,
                entropy == null || entropy.isEmpty() ? Float.NaN : number(entropy, "router_entropy"));
        String phase = get(f, c, "phase");
        String tokenId = get(f, c, "token_id");
        String time = get(f, c, "timestamp_micros");
        int token = integer(get(f, c, "token_index"), "token_index");
        if (token < 0) {
            throw new IllegalArgumentException("negative token_index " + token);
        }
        return new LayerRow(get(f, c, "request_id"), token,
                tokenId == null || tokenId.isEmpty() ? -1 : integer(tokenId, "token_id"),
                LayerRow.phase(phase),
                time == null || time.isEmpty() ? LayerRow.UNKNOWN_TIME : longValue(time), decision);
    }

    private static Map<String, Integer> columns(String line) {
        Map<String, Integer> columns = new HashMap<>();
        List<String> names = CsvLine.split(line);
        for (int i = 0; i < names.size(); i++) {
            columns.put(names.get(i).trim(), i);
        }
        return columns;
    }

    private static String get(List<String> fields, Map<String, Integer> columns, String name) {
        Integer i = columns.get(name);
        return i == null ? null : fields.get(i);
    }

    private static int[] ints(String value) {
        String[] parts = value.split("\\|");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ids[i] = integer(parts[i], "expert_ids");
        }
        return ids;
    }

    private static float[] floats(String value) {
        String[] parts = value.split("\\|");
        float[] w = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = number(parts[i], "weights");
        }
        return w;
    }

    private static int integer(String value, String column) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not an integer: '" + value + "'");
        }
    }

    private static long longValue(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp_micros is not an integer: '" + value + "'");
        }
    }

    private static float number(String value, String column) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not a number: '" + value + "'");
        }
    }
}
