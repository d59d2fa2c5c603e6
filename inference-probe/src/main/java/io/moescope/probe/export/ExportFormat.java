package io.moescope.probe.export;

import io.moescope.events.ModelIdentity;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;

/**
 * moescope's own export formats. Both start with a header naming the run and its complete model identity, then
 * every stored token in the order given (the exporter uses request id, then token index). Lossless: floats are
 * written as Java's shortest round-tripping decimal, unknown weights / entropies as JSON null (CSV: NaN / empty).
 */
public enum ExportFormat {
    JSONL("jsonl"),
    CSV("csv");

    public static final String MAGIC = "moescope-export";
    public static final int VERSION = 1;

    private final String id;

    ExportFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String contentType() {
        return this == JSONL ? "application/x-ndjson" : "text/csv";
    }

    /** Streams one run: call {@link TokenWriter#token} per token, in order, then flush the writer. */
    public TokenWriter open(Writer out, String runName, ModelIdentity model) throws IOException {
        return this == JSONL ? new JsonlExportWriter(out, runName, model) : new CsvExportWriter(out, runName, model);
    }

    public static ExportFormat of(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("export format must be jsonl or csv, not '" + id
                        + "'"));
    }

    /** Writes tokens after the header. */
    public interface TokenWriter {
        void token(TokenRouting token) throws IOException;
    }
}
