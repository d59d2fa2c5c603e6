package io.moescope.traces.importer;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ParameterCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one file's import did: counted while it runs (single-threaded), read when it is done.
 */
public final class ImportReport {

    /** A block of warm-up passes: identical decisions from line {@code firstLine} to {@code lastLine}. */
    public record WarmupBlock(Path file, long firstLine, long lastLine, long tokens, long decisions) {
        @Override
        public String toString() {
            return file + ":" + firstLine + "-" + lastLine + ": " + tokens + " tokens (" + decisions
                    + " decisions) of identical decisions";
        }
    }

    /** A line that was not imported, and why. */
    public record Rejection(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    static final int KEPT_REJECTIONS = 20;
    static final int KEPT_WARMUP_BLOCKS = 20;

    private final Path file;
    private final List<Rejection> firstRejections = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<WarmupBlock> warmupBlocks = new ArrayList<>();
    private String requestsNotSeparable;
    private long warmupBlockCount;
    private boolean warmupIncluded;
    private TraceFormat format;
    private String runId;
    private String runName;
    private ModelIdentity model;
    private ParameterCounts parameters;
    private long rowsRead;
    private long rowsRejected;
    private long tokensImported;
    private long stepsImported;
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

    /** The run's model, and its parameter counts when a model config gave them (else null). */
    void model(ModelIdentity identity, ParameterCounts counts) {
        this.model = identity;
        this.parameters = counts;
    }

    public ModelIdentity model() {
        return model;
    }

    /** Null unless the import had a model config whose architecture's tensors are known. */
    public ParameterCounts parameters() {
        return parameters;
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

    /** A step of an aggregate-only trace: counts of {@code tokens} tokens, without the tokens themselves. */
    void importedStep(long tokens, long decisions) {
        stepsImported++;
        tokensImported += tokens;
        decisionsImported += decisions;
    }

    void gaps(long missingRows) {
        gaps += missingRows;
    }

    void warmup(int decisions) {
        warmupTokens++;
        warmupDecisions += decisions;
    }

    /** @param why why the requests cannot be told apart, or null when they can */
    void requestsNotSeparable(String why) {
        requestsNotSeparable = why;
    }

    void warmupIncluded(boolean included) {
        warmupIncluded = included;
    }

    void warmupBlock(WarmupFilter.Block block) {
        warmupBlockCount++;
        if (warmupBlocks.size() < KEPT_WARMUP_BLOCKS) {
            warmupBlocks.add(new WarmupBlock(file, block.firstLine(), block.lastLine(), block.tokens(),
                    block.decisions()));
        }
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

    /**
     * Steps of counts imported from an aggregate-only trace (one that counts choices without recording tokens); its
     * tokens and decisions are counted in {@link #tokensImported()} and {@link #decisionsImported()}. 0 for a trace of
     * tokens.
     */
    public long stepsImported() {
        return stepsImported;
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

    /** The first 20 warm-up blocks, in file order. */
    public List<WarmupBlock> warmupBlocks() {
        return List.copyOf(warmupBlocks);
    }

    /** Whether warm-up tokens were imported (marked) rather than left out. */
    public boolean warmupIncluded() {
        return warmupIncluded;
    }

    /** Every warm-up block found, also those past the first 20. */
    public long warmupBlockCount() {
        return warmupBlockCount;
    }

    /** Expert ids >= N (e.g. shared-expert slots): dropped from their decisions. */
    public long notRoutedIds() {
        return notRoutedIds;
    }

    /**
     * Why the run's requests cannot be told apart, in words, as the run stores it (its sequence metrics are
     * undefined); empty when they can.
     */
    public Optional<String> requestsNotSeparable() {
        return Optional.ofNullable(requestsNotSeparable);
    }

    /** How N, k or the layers were derived where the trace did not say. */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
