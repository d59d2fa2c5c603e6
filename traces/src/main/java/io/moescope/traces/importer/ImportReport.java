package io.moescope.traces.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one file's import did: counted while it runs (single-threaded), read when it is done.
 */
public final class ImportReport {

    /** A line that was not imported, and why. */
    public record Rejection(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    static final int KEPT_REJECTIONS = 20;

    private final Path file;
    private final List<Rejection> firstRejections = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private TraceFormat format;
    private String runId;
    private String runName;
    private long rowsRead;
    private long rowsRejected;
    private long tokensImported;
    private long decisionsImported;
    private long gaps;
    private long warmupTokens;
    private long warmupDecisions;
    private long notRoutedIds;

    ImportReport(Path file) {
        this.file = file;
    }

    void reject(long line, String reason) {
        rowsRejected++;
        if (firstRejections.size() < KEPT_REJECTIONS) {
            firstRejections.add(new Rejection(file, line, reason));
        }
    }

    void note(String note) {
        notes.add(note);
    }

    void started(TraceFormat f, String id, String name) {
        this.format = f;
        this.runId = id;
        this.runName = name;
    }

    void rowRead() {
        rowsRead++;
    }

    void imported(int decisions) {
        tokensImported++;
        decisionsImported += decisions;
    }

    void gaps(long missingRows) {
        gaps += missingRows;
    }

    void warmup(int decisions) {
        warmupTokens++;
        warmupDecisions += decisions;
    }

    void notRouted(int ids) {
        notRoutedIds += ids;
    }

    public Path file() {
        return file;
    }

    public TraceFormat format() {
        return format;
    }

    public String runId() {
        return runId;
    }

    public String runName() {
        return runName;
    }

    /** Data lines read (blank, comment and column lines not counted). */
    public long rowsRead() {
        return rowsRead;
    }

    public long rowsRejected() {
        return rowsRejected;
    }

    public List<Rejection> firstRejections() {
        return List.copyOf(firstRejections);
    }

    public long tokensImported() {
        return tokensImported;
    }

    public long decisionsImported() {
        return decisionsImported;
    }

    /** Missing (token, layer) rows: layers absent from a token, and whole tokens absent inside a request. */
    public long gaps() {
        return gaps;
    }

    public long warmupTokens() {
        return warmupTokens;
    }

    public long warmupDecisions() {
        return warmupDecisions;
    }

    /** Expert ids >= N (e.g. shared-expert slots): dropped from their decisions. */
    public long notRoutedIds() {
        return notRoutedIds;
    }

    /** How N, k or the layers were derived where the trace did not say. */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
