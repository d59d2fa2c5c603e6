package io.moescope.traces.export;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.io.Writer;

/**
 * CSV, one row per (token, layer): a comment line {@code # <ExportHeader JSON>}, the column line
 * {@link #COLUMNS}, then rows, then the {@link ExportEnd} as a comment line; expert ids and weights are {@code |}-separated, unknown weights {@code NaN}, an unknown
 * router entropy an empty field. Request ids holding a comma, quote or line break are quoted.
 */
public final class CsvExportWriter implements ExportFormat.TokenWriter {

    public static final String COLUMNS =
            "request_id,token_index,token_id,phase,timestamp_micros,layer,expert_ids,weights,router_entropy";

    private final Writer out;
    private final ExportHeader header;
    private final StringBuilder line = new StringBuilder(256);
    private long written;

    CsvExportWriter(Writer out, ExportHeader header) throws IOException {
        this.out = out;
        this.header = header;
        out.write(ExportFormat.CSV.metaLine(header.toJson()));
        out.write(COLUMNS + "\n");
    }

    @Override
    public void end() throws IOException {
        ExportFormat.CSV.end(out, header, written);
    }

    @Override
    public void token(TokenRouting token) throws IOException {
        String request = quote(token.requestId());
        String phase = token.phase().label();
        for (RouterDecision d : token.decisions()) {
            line.setLength(0);
            line.append(request).append(',').append(token.tokenIndex()).append(',').append(token.tokenId())
                    .append(',').append(phase).append(',').append(token.timestampMicros()).append(',')
                    .append(d.layer()).append(',');
            int[] ids = d.expertIds();
            for (int j = 0; j < ids.length; j++) {
                line.append(j == 0 ? "" : "|").append(ids[j]);
            }
            line.append(',');
            float[] w = d.weights();
            for (int j = 0; j < w.length; j++) {
                line.append(j == 0 ? "" : "|").append(Float.toString(w[j]));
            }
            line.append(',');
            if (d.hasRouterEntropy()) {
                line.append(Float.toString(d.routerEntropy()));
            }
            line.append('\n');
            out.append(line);
        }
        written++;
    }

    static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
