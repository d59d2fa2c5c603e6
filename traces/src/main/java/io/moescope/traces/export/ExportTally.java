package io.moescope.traces.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Optional;

/**
 * What a reader got of one export, counted line by line (lines without their line break, in order): the header and
 * the token count it announces, the tokens received whole, and whether the end line came. The CLI checks a download
 * with it, the importers a file, so "complete" means the same everywhere.
 *
 * <p>A JSONL token is one line, so every line read is a whole token. A CSV token is several rows (one per layer) and
 * a stream may break between two of them: a token counts once a row of the next token or the end line shows its
 * rows are all there.
 */
public final class ExportTally {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportFormat format;
    private ExportHeader header;
    private ExportEnd end;
    private boolean csvColumnsRead;
    private String openCsvToken;
    private long tokens;

    public ExportTally(ExportFormat format) {
        this.format = format;
    }

    /**
     * Counts one line.
     *
     * @throws IllegalArgumentException when a header or end line is malformed or of another version
     */
    public void line(String line) {
        if (line.isBlank() || end != null) {
            return;
        }
        if (format.isMetaLine(line)) {
            meta(format.metaJson(line));
        } else if (format == ExportFormat.JSONL) {
            tokens++;
        } else if (!csvColumnsRead) {
            csvColumnsRead = true;
        } else {
            String token = csvToken(line);
            if (openCsvToken != null && !openCsvToken.equals(token)) {
                tokens++;
            }
            openCsvToken = token;
        }
    }

    /** The header, once its line was read. */
    public Optional<ExportHeader> header() {
        return Optional.ofNullable(header);
    }

    /** Tokens received whole so far. */
    public long tokensReceived() {
        return tokens;
    }

    /**
     * Empty when the export is complete, or is a version 1 export without a count to check against; otherwise what
     * is missing, e.g. "1,860,000 of 3,200,000 tokens". Complete means the end line came and at least the announced
     * tokens did: a line more (a hand-edited file) is the importer's to reject, not a sign of a broken stream. Call it
     * after the last line.
     */
    public Optional<String> shortfall() {
        if (header == null) {
            return Optional.of("no export header");
        }
        if (header.tokens().isEmpty()) {
            return Optional.empty();
        }
        long announced = header.tokens().getAsLong();
        if (end != null && tokens >= announced) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%,d of %,d tokens", tokens, announced));
    }

    private void meta(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("export header or end line is not JSON: " + e.getOriginalMessage());
        }
        Optional<ExportEnd> endLine = ExportEnd.fromJson(node);
        if (endLine.isPresent()) {
            end = endLine.get();
            if (openCsvToken != null) {
                tokens++;
                openCsvToken = null;
            }
        } else if (header == null) {
            header = ExportHeader.fromJson(node);
        }
    }

    /** The request id and token index fields of a CSV row: everything before the second comma outside quotes. */
    private static String csvToken(String row) {
        boolean quoted = false;
        int commas = 0;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted && ++commas == 2) {
                return row.substring(0, i);
            }
        }
        return row;
    }
}
