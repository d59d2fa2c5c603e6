package io.moescope.traces.export;

import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;

/**
 * moescope's own export formats. Both start with a header naming the run, its complete model identity and how many
 * tokens follow, then every stored token in the order given (the exporter uses request id, then token index), then
 * an end line ({@link ExportEnd}). Lossless: floats are written as Java's shortest round-tripping decimal, unknown
 * weights / entropies as JSON null (CSV: NaN / empty).
 *
 * <p>The header and the end line are JSON objects, written as they are in JSONL and as {@code # } comment lines in
 * CSV ({@link #metaLine}); this class is the one place that frames them, for the writers and for readers
 * ({@link ExportTally}, the importers).
 */
public enum ExportFormat {
    JSONL("jsonl"),
    CSV("csv");

    public static final String MAGIC = "moescope-export";
    /** 2: the header announces the token count and an end line closes the export. */
    public static final int VERSION = 2;

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

    /**
     * Streams one run of as many tokens as {@code header} announces: call {@link TokenWriter#token} per token, in
     * order, then {@link TokenWriter#end}, then flush the writer.
     */
    public TokenWriter open(Writer out, ExportHeader header) throws IOException {
        return this == JSONL ? new JsonlExportWriter(out, header) : new CsvExportWriter(out, header);
    }

    /** A header or end object as a line of this format, line break included. */
    String metaLine(String json) {
        return (this == CSV ? "# " : "") + json + "\n";
    }

    /**
     * Whether {@code line} (no line break) is a header or end line rather than a token's: CSV's are its comment
     * lines, JSONL's the objects whose first key is one the token objects never start with.
     */
    public boolean isMetaLine(String line) {
        return this == CSV ? line.startsWith("#") : line.startsWith("{\"format\"") || line.startsWith("{\"end\"");
    }

    /** The JSON object of a line for which {@link #isMetaLine} holds. */
    public String metaJson(String line) {
        return this == CSV ? line.substring(1).trim() : line;
    }

    /**
     * Writes the end line after the last token.
     *
     * @throws IllegalStateException when the tokens written are not the tokens the header announced: an end line
     *                               then would vouch for a file that is not what it says
     */
    void end(Writer out, ExportHeader header, long written) throws IOException {
        long announced = header.tokens().orElseThrow();
        if (written != announced) {
            throw new IllegalStateException("export of run '" + header.runName() + "' announced " + announced
                    + " tokens but " + written + " were written");
        }
        out.write(metaLine(new ExportEnd(written).toJson()));
    }

    public static ExportFormat of(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("export format must be jsonl or csv, not '" + id
                        + "'"));
    }

    /** Writes tokens after the header, then the end line. */
    public interface TokenWriter {
        void token(TokenRouting token) throws IOException;

        /** The end line; @throws IllegalStateException when fewer or more tokens came than were announced. */
        void end() throws IOException;
    }
}
