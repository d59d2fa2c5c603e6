package io.moescope.traces.export;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.io.Writer;

/**
 * JSON lines: the {@link ExportHeader}, then one object per token, then the {@link ExportEnd}:
 * {@code {"request":"r1","token":0,"tokenId":17,"phase":"prefill","t":1700000000000000,"layers":[0,1],
 * "experts":[[3,1],[0,7]],"weights":[[0.6,0.4],[0.5,0.5]],"entropy":[1.2,null]}}.
 */
final class JsonlExportWriter implements ExportFormat.TokenWriter {

    private final Writer out;
    private final ExportHeader header;
    private final StringBuilder line = new StringBuilder(512);
    private long written;

    JsonlExportWriter(Writer out, ExportHeader header) throws IOException {
        this.out = out;
        this.header = header;
        out.write(ExportFormat.JSONL.metaLine(header.toJson()));
    }

    @Override
    public void end() throws IOException {
        ExportFormat.JSONL.end(out, header, written);
    }

    @Override
    public void token(TokenRouting token) throws IOException {
        line.setLength(0);
        line.append("{\"request\":");
        JsonText.string(line, token.requestId());
        line.append(",\"token\":").append(token.tokenIndex())
                .append(",\"tokenId\":").append(token.tokenId())
                .append(",\"phase\":\"").append(token.phase().label())
                .append("\",\"t\":").append(token.timestampMicros())
                .append(",\"layers\":[");
        var decisions = token.decisions();
        for (int i = 0; i < decisions.size(); i++) {
            line.append(i == 0 ? "" : ",").append(decisions.get(i).layer());
        }
        line.append("],\"experts\":[");
        for (int i = 0; i < decisions.size(); i++) {
            line.append(i == 0 ? "[" : ",[");
            int[] ids = decisions.get(i).expertIds();
            for (int j = 0; j < ids.length; j++) {
                line.append(j == 0 ? "" : ",").append(ids[j]);
            }
            line.append(']');
        }
        line.append("],\"weights\":[");
        for (int i = 0; i < decisions.size(); i++) {
            line.append(i == 0 ? "[" : ",[");
            float[] w = decisions.get(i).weights();
            for (int j = 0; j < w.length; j++) {
                line.append(j == 0 ? "" : ",");
                JsonText.number(line, w[j]);
            }
            line.append(']');
        }
        line.append("],\"entropy\":[");
        for (int i = 0; i < decisions.size(); i++) {
            RouterDecision d = decisions.get(i);
            line.append(i == 0 ? "" : ",");
            JsonText.number(line, d.routerEntropy());
        }
        line.append("]}\n");
        out.append(line);
        written++;
    }
}
