package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's contribution to the three rollups, counted in Java: per (run, layer, phase) a vector of hard counts, one
 * element per expert, for {@code layer_load}; the same per minute for {@code layer_load_minute}; and tokens, decisions
 * and first/last time per run for {@code run_volume}. The writer adds them in one statement when every token of the
 * batch was new (the normal case), so PostgreSQL never unnests a row to count it.
 */
final class BatchRollups {

    static final long MINUTE_MICROS = 60_000_000L;

    private final Vectors load = new Vectors();
    private final Vectors minutes = new Vectors();
    private final String[] volumeRuns;
    private final long[] volumeTokens;
    private final long[] volumeDecisions;
    private final long[] volumeFirst;
    private final long[] volumeLast;
    private final long decisions;

    // Each rollup row's vector is a slice of one flat parameter, counts[first + 1 : first + experts]: one array
    // parameter for all rows instead of one per row. Rows are upserted in primary-key order (PostgreSQL's collation
    // orders run ids, not Java's), so concurrent writers lock them in the same order and wait instead of deadlocking.
    private static final String UPSERT = """
            WITH load AS (
                INSERT INTO layer_load (run_id, layer, phase, tokens)
                SELECT r.run_id, r.layer, r.phase, c.counts[r.first + 1 : r.first + r.experts]
                FROM unnest(?::text[], ?::int[], ?::smallint[], ?::int[], ?::int[])
                     AS r(run_id, layer, phase, first, experts),
                     (SELECT ?::bigint[] AS counts) AS c
                ORDER BY r.run_id, r.layer, r.phase
                ON CONFLICT (run_id, layer, phase)
                    DO UPDATE SET tokens = moescope_add_counts(layer_load.tokens, EXCLUDED.tokens)
            ), minute AS (
                INSERT INTO layer_load_minute (run_id, bucket, layer, phase, tokens)
                SELECT r.run_id, TIMESTAMPTZ 'epoch' + r.bucket_us * INTERVAL '1 microsecond', r.layer, r.phase,
                       c.counts[r.first + 1 : r.first + r.experts]
                FROM unnest(?::text[], ?::bigint[], ?::int[], ?::smallint[], ?::int[], ?::int[])
                     AS r(run_id, bucket_us, layer, phase, first, experts),
                     (SELECT ?::bigint[] AS counts) AS c
                ORDER BY r.run_id, r.bucket_us, r.layer, r.phase
                ON CONFLICT (run_id, bucket, layer, phase)
                    DO UPDATE SET tokens = moescope_add_counts(layer_load_minute.tokens, EXCLUDED.tokens)
            ), volume AS (
                INSERT INTO run_volume (run_id, tokens, decisions, first_routed_at, last_routed_at)
                SELECT run_id, tokens, decisions, TIMESTAMPTZ 'epoch' + first_us * INTERVAL '1 microsecond',
                       TIMESTAMPTZ 'epoch' + last_us * INTERVAL '1 microsecond'
                FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                     AS v(run_id, tokens, decisions, first_us, last_us)
                ORDER BY run_id
                ON CONFLICT (run_id) DO UPDATE SET
                    tokens = run_volume.tokens + EXCLUDED.tokens,
                    decisions = run_volume.decisions + EXCLUDED.decisions,
                    first_routed_at = LEAST(run_volume.first_routed_at, EXCLUDED.first_routed_at),
                    last_routed_at = GREATEST(run_volume.last_routed_at, EXCLUDED.last_routed_at),
                    last_ingested_at = now()
            )
            SELECT 1
            """;

    private BatchRollups(Map<String, RunCounts> runs) {
        int size = runs.size();
        volumeRuns = new String[size];
        volumeTokens = new long[size];
        volumeDecisions = new long[size];
        volumeFirst = new long[size];
        volumeLast = new long[size];
        long decisionCount = 0;
        int v = 0;
        for (var entry : runs.entrySet()) {
            String runId = entry.getKey();
            RunCounts run = entry.getValue();
            load.addRun(runId, 0, run, run.wholeRun());
            for (var minute : run.minutes.entrySet()) {
                minutes.addRun(runId, minute.getKey(), run, minute.getValue());
            }
            decisionCount += run.decisions;
            volumeRuns[v] = runId;
            volumeTokens[v] = run.tokens;
            volumeDecisions[v] = run.decisions;
            volumeFirst[v] = run.firstMicros;
            volumeLast[v++] = run.lastMicros;
        }
        decisions = decisionCount;
    }

    /** Counts per run up to this many (layer, expert, phase) cells; beyond, the database counts (see {@link #of}). */
    static final int MAX_CELLS = 1 << 20;

    /**
     * @return the batch's counts, or null when a run's layer and expert ids span more than {@link #MAX_CELLS}
     *         cells (ids far beyond any real model: a run validated without its model); the caller then lets
     *         PostgreSQL count
     */
    static BatchRollups of(TokenBatch batch) {
        // First pass: each run's largest layer and expert id, so that its counts fit dense arrays.
        Map<String, RunCounts> runs = new HashMap<>();
        RunCounts run = null;
        String runId = null;
        for (int t = 0; t < batch.size(); t++) {
            if (!batch.runId(t).equals(runId)) {
                runId = batch.runId(t);
                run = runs.computeIfAbsent(runId, id -> new RunCounts());
            }
            for (int d = batch.firstDecision(t); d < batch.endDecision(t); d++) {
                run.maxLayer = Math.max(run.maxLayer, batch.layer(d));
                for (int e = batch.firstExpert(d); e < batch.endExpert(d); e++) {
                    run.maxExpert = Math.max(run.maxExpert, batch.expertId(e));
                }
            }
        }
        for (RunCounts counts : runs.values()) {
            if ((long) (counts.maxLayer + 1) * (counts.maxExpert + 1) * 2 > MAX_CELLS) {
                return null;
            }
            counts.experts = counts.maxExpert + 1;
        }
        runId = null;
        long minute = Long.MIN_VALUE;
        long[] minuteCounts = null;
        for (int t = 0; t < batch.size(); t++) {
            if (!batch.runId(t).equals(runId)) {
                runId = batch.runId(t);
                run = runs.get(runId);
                minute = Long.MIN_VALUE;
            }
            long micros = batch.timestampMicros(t);
            long bucket = Math.floorDiv(micros, MINUTE_MICROS) * MINUTE_MICROS;
            if (bucket != minute) {
                minute = bucket;
                minuteCounts = run.minute(bucket);
            }
            int firstDecision = batch.firstDecision(t);
            int endDecision = batch.endDecision(t);
            run.tokens++;
            run.decisions += endDecision - firstDecision;
            run.firstMicros = Math.min(run.firstMicros, micros);
            run.lastMicros = Math.max(run.lastMicros, micros);
            int phase = batch.phaseCode(t);
            int experts = run.experts;
            for (int d = firstDecision; d < endDecision; d++) {
                int vector = (batch.layer(d) * 2 + phase) * experts;
                for (int e = batch.firstExpert(d); e < batch.endExpert(d); e++) {
                    minuteCounts[vector + batch.expertId(e)]++;
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
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            int i = 1;
            statement.setArray(i++, connection.createArrayOf("text", load.runs.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.layers.toArray()));
            statement.setArray(i++, connection.createArrayOf("int2", load.phases.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.firsts.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.lengths.toArray()));
            statement.setObject(i++, load.counts()); // long[]: pgjdbc sends primitive arrays as int8[]
            statement.setArray(i++, connection.createArrayOf("text", minutes.runs.toArray()));
            statement.setArray(i++, connection.createArrayOf("int8", minutes.buckets.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", minutes.layers.toArray()));
            statement.setArray(i++, connection.createArrayOf("int2", minutes.phases.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", minutes.firsts.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", minutes.lengths.toArray()));
            statement.setObject(i++, minutes.counts());
            statement.setArray(i++, connection.createArrayOf("text", volumeRuns));
            statement.setObject(i++, volumeTokens);
            statement.setObject(i++, volumeDecisions);
            statement.setObject(i++, volumeFirst);
            statement.setObject(i, volumeLast);
            statement.execute();
        }
    }

    /** The schema's phase codes (0 = prefill, 1 = decode), not the enum's ordinals. */
    static int phaseCode(Phase phase) {
        return phase == Phase.PREFILL ? 0 : 1;
    }

    /**
     * Rollup rows of one table, as the statement's parallel array parameters: one row per (run[, minute], layer,
     * phase) whose vector is not all zero.
     */
    private static final class Vectors {
        final List<String> runs = new ArrayList<>();
        final List<Long> buckets = new ArrayList<>();
        final List<Integer> layers = new ArrayList<>();
        final List<Short> phases = new ArrayList<>();
        final List<Integer> firsts = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        private long[] counts = new long[1024];
        private int size;

        /** The rows of one run's cells, {@link RunCounts} layout; {@code bucket} is ignored by the whole-run table. */
        void addRun(String runId, long bucket, RunCounts run, long[] cells) {
            int experts = run.experts;
            for (int vector = 0; vector < cells.length; vector += experts) {
                if (isZero(cells, vector, experts)) {
                    continue;
                }
                runs.add(runId);
                buckets.add(bucket);
                layers.add(vector / experts / 2);
                phases.add((short) (vector / experts % 2));
                firsts.add(size);
                lengths.add(experts);
                if (size + experts > counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(counts.length * 2, size + experts));
                }
                System.arraycopy(cells, vector, counts, size, experts);
                size += experts;
            }
        }

        long[] counts() {
            return Arrays.copyOf(counts, size);
        }

        private static boolean isZero(long[] cells, int from, int length) {
            for (int i = from; i < from + length; i++) {
                if (cells[i] != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One run's counts per minute in dense arrays, one vector of {@code experts} counts per (layer, phase) at
     * {@code (layer * 2 + phase) * experts}: a batch touches at most a few thousand cells per run, and array increments
     * are what makes counting in Java cheaper than asking PostgreSQL to count. The whole-run counts are their sum.
     */
    private static final class RunCounts {
        int maxLayer;
        int maxExpert;
        int experts;
        final Map<Long, long[]> minutes = new HashMap<>();
        long tokens;
        long decisions;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros = Long.MIN_VALUE;

        long[] minute(long bucket) {
            return minutes.computeIfAbsent(bucket, b -> new long[size()]);
        }

        /** The sum of the minutes' counts: a batch spans a minute or two, so this is cheaper than counting twice. */
        long[] wholeRun() {
            long[] sum = new long[size()];
            for (long[] minute : minutes.values()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += minute[i];
                }
            }
            return sum;
        }

        private int size() {
            return (maxLayer + 1) * 2 * experts;
        }
    }
}
