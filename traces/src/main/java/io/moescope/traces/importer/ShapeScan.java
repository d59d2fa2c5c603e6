package io.moescope.traces.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * First pass over a file: which layers, how many slots and how large an expert id the trace holds, whether its
 * requests can be told apart, and whether its rows' phases can.
 */
final class ShapeScan implements TraceVisitor {

    private ModelHints hints = ModelHints.NONE;
    private final TreeSet<Integer> layers = new TreeSet<>();
    private int[] firstIds;
    private int maxId = -1;
    private final ImportProgress progress;
    private long rows;
    private long lines;
    private String firstRejection;
    private final List<String> notSeparable = new ArrayList<>();
    private boolean phasesUnknown;
    private long countRows;

    ShapeScan(ImportProgress progress) {
        this.progress = progress;
    }

    @Override
    public void model(ModelHints meta) {
        hints = hints.orElse(meta);
    }

    @Override
    public void lineRead(long line) {
        if (++lines % 1024 == 0) {
            progress.rowsScanned(lines);
        }
    }

    @Override
    public void row(long line, LayerRow row) {
        rows++;
        layers.add(row.decision().layer());
        int[] ids = row.decision().expertIds();
        if (firstIds == null) {
            firstIds = ids.clone();
        }
        for (int id : ids) {
            maxId = Math.max(maxId, id);
        }
    }

    /** A step's counts at a layer: N is at least their length, the largest id they could count + 1. */
    @Override
    public void counts(long line, long step, int layer, long[] counts) {
        rows++;
        countRows++;
        layers.add(layer);
        maxId = Math.max(maxId, counts.length - 1);
    }

    @Override
    public void reject(long line, String reason) {
        if (firstRejection == null) {
            firstRejection = "line " + line + ": " + reason;
        }
    }

    @Override
    public void requestsNotSeparable(String why) {
        notSeparable.add(why);
    }

    @Override
    public void phasesUnknown(String why) {
        phasesUnknown = true;
        requestsNotSeparable(why);
    }

    /** Whether the trace holds counts without tokens (an aggregate-only trace): no row of a token came. */
    boolean countsOnly() {
        return countRows > 0 && firstIds == null;
    }

    /** Whether no row's phase can be told: the sending pass then stores every row with phase unknown. */
    boolean phasesUnknown() {
        return phasesUnknown;
    }

    /** Why the trace's requests cannot be told apart, every reason told (one per stream) joined; null if none was. */
    String requestsNotSeparable() {
        return notSeparable.isEmpty() ? null : String.join("; ", notSeparable);
    }

    /** Why the first rejected line was rejected, with its number; null when none was. */
    String firstRejection() {
        return firstRejection;
    }

    ModelHints hints() {
        return hints;
    }

    TreeSet<Integer> layers() {
        return layers;
    }

    int[] firstIds() {
        return firstIds;
    }

    int maxId() {
        return maxId;
    }

    long lines() {
        return lines;
    }

    long rows() {
        return rows;
    }
}
