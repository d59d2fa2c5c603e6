package io.moescope.ingest.copy;

import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.storage.rollups.CountGrid;
import io.moescope.storage.rollups.CountVectors;
import io.moescope.storage.rollups.MinuteGrids;
import io.moescope.storage.rollups.RollupUpsert;
import io.moescope.storage.rollups.RunVolumes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's contribution to the three rollups, counted in Java: per (run, layer, phase) a vector of hard counts, one
 * element per expert, for {@code layer_load}; per (run, minute, phase) those of all layers in one {@link CountGrid}
 * for {@code load_grid_minute}; and tokens, decisions
 * and first/last time per run for {@code run_volume}. The one place the rollups of new tokens are computed: the writer
 * counts every token of an all-new batch (the fast path) or exactly the tokens its insert stored (the safe path:
 * redelivery, replay, a key repeated in the batch) and adds them in one statement ({@link RollupUpsert}), so
 * PostgreSQL never unnests a row to count it. (V44's backfill, which counted the rows stored before V44 in SQL, was a
 * one-time conversion.)
 */
final class BatchRollups {

    /** Cells per layer in {@link RunCounts}: one per phase code. */
    private static final int PHASES = Phase.values().length;

    private final CountVectors load = new CountVectors();
    private final MinuteGrids minutes = new MinuteGrids();
    private final RunVolumes volumes = new RunVolumes();
    private final long decisions;

    private BatchRollups(Map<String, RunCounts> runs) {
        long decisionCount = 0;
        for (var entry : runs.entrySet()) {
            String runId = entry.getKey();
            RunCounts run = entry.getValue();
            addVectors(runId, run.wholeRun());
            for (var minute : run.minutes.entrySet()) {
                addGrids(runId, minute.getKey(), minute.getValue());
            }
            decisionCount += run.decisions;
            volumes.add(runId, run.tokens, run.decisions, run.firstMicros, run.lastMicros);
        }
        decisions = decisionCount;
    }

    /** The whole-run rows of one run's vectors, {@link RunCounts} layout, but those that are all zero. */
    private void addVectors(String runId, long[][] cells) {
        for (int cell = 0; cell < cells.length; cell++) {
            long[] vector = cells[cell];
            if (vector != null && !isZero(vector)) {
                load.add(runId, cell / PHASES, cell % PHASES, vector);
            }
        }
    }

    /** One grid per phase of one run's minute ({@link RunCounts} layout), of the layers with a count. */
    private void addGrids(String runId, long bucket, long[][] cells) {
        for (int phase = 0; phase < PHASES; phase++) {
            var layers = new TreeMap<Integer, long[]>();
            for (int cell = phase; cell < cells.length; cell += PHASES) {
                long[] vector = cells[cell];
                if (vector != null && !isZero(vector)) {
                    layers.put(cell / PHASES, vector);
                }
            }
            if (!layers.isEmpty()) {
                minutes.add(runId, bucket, phase, CountGrid.of(layers));
            }
        }
    }

    private static boolean isZero(long[] vector) {
        for (long count : vector) {
            if (count != 0) {
                return false;
            }
        }
        return true;
    }

    /** The counts of all of {@code batch}'s tokens: the fast path, where every token was new. */
    static BatchRollups of(TokenBatch batch) {
        int[] all = new int[batch.size()];
        for (int t = 0; t < all.length; t++) {
            all[t] = t;
        }
        return of(batch, all);
    }

    /**
     * The counts of the tokens of {@code batch} at the positions {@code tokens}, and of no other: the safe path
     * passes the tokens its insert actually stored, so that both paths count with this one method.
     */
    static BatchRollups of(TokenBatch batch, int[] tokens) {
        // First pass: each run's largest layer and expert id, so that its vectors have their length (the batch found
        // each token's as it decoded it).
        Map<String, RunCounts> runs = new HashMap<>();
        RunCounts run = null;
        String runId = null;
        for (int t : tokens) {
            if (!batch.runId(t).equals(runId)) {
                runId = batch.runId(t);
                run = runs.computeIfAbsent(runId, id -> new RunCounts());
            }
            run.maxLayer = Math.max(run.maxLayer, batch.maxLayer(t));
            run.maxExpert = Math.max(run.maxExpert, batch.maxExpertId(t));
        }
        for (RunCounts counts : runs.values()) {
            counts.experts = counts.maxExpert + 1;
        }
        runId = null;
        long minute = Long.MIN_VALUE;
        long[][] minuteCounts = null;
        for (int t : tokens) {
            if (!batch.runId(t).equals(runId)) {
                runId = batch.runId(t);
                run = runs.get(runId);
                minute = Long.MIN_VALUE;
            }
            long micros = batch.timestampMicros(t);
            long bucket = MinuteGrids.minuteOf(micros);
            if (bucket != minute) {
                minute = bucket;
                minuteCounts = run.minute(bucket);
            }
            // every token counted has its packed routing (a token validated for storage packs)
            PackedRouting.View routing = batch.routing(t);
            int decisions = routing.layerCount();
            int topK = routing.topK();
            run.tokens++;
            run.decisions += decisions;
            run.firstMicros = Math.min(run.firstMicros, micros);
            run.lastMicros = Math.max(run.lastMicros, micros);
            int phase = batch.phaseCode(t);
            for (int d = 0; d < decisions; d++) {
                int cell = routing.layer(d) * PHASES + phase;
                long[] vector = minuteCounts[cell];
                if (vector == null) {
                    vector = minuteCounts[cell] = new long[run.experts];
                }
                for (int j = 0; j < topK; j++) {
                    vector[routing.expert(d, j)]++;
                }
            }
        }
        return new BatchRollups(runs);
    }

    /** Decisions (token x layer) in the batch. */
    long decisions() {
        return decisions;
    }

    /** Adds the batch's counts to the rollups, in the caller's transaction. */
    void upsert(Connection connection) throws SQLException {
        RollupUpsert.upsert(connection, load, minutes, volumes);
    }

    /**
     * One run's counts per minute: per (layer, phase) at {@code layer * PHASES + phase code} a vector of {@code experts} counts,
     * allocated when the first token of that layer and phase comes. A batch touches at most a few thousand cells per
     * run, and array increments are what makes counting in Java cheaper than asking PostgreSQL to count; allocating
     * only the vectors in use keeps a run with far-apart layer ids (one validated without its model) as small as the
     * rows it adds. The whole-run counts are the minutes' sum.
     */
    private static final class RunCounts {
        int maxLayer;
        int maxExpert;
        int experts;
        final Map<Long, long[][]> minutes = new HashMap<>();
        long tokens;
        long decisions;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros = Long.MIN_VALUE;

        long[][] minute(long bucket) {
            return minutes.computeIfAbsent(bucket, b -> new long[cells()][]);
        }

        /** The sum of the minutes' counts: a batch spans a minute or two, so this is cheaper than counting twice. */
        long[][] wholeRun() {
            long[][] sum = new long[cells()][];
            for (long[][] minute : minutes.values()) {
                for (int cell = 0; cell < sum.length; cell++) {
                    long[] vector = minute[cell];
                    if (vector == null) {
                        continue;
                    }
                    if (sum[cell] == null) {
                        sum[cell] = new long[experts];
                    }
                    for (int e = 0; e < experts; e++) {
                        sum[cell][e] += vector[e];
                    }
                }
            }
            return sum;
        }

        private int cells() {
            return (maxLayer + 1) * PHASES;
        }
    }
}
