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
 * and first/last time per run for {@code run_volume}. The one place the rollups of new tokens are computed: the writer
 * counts every token of an all-new batch (the fast path) or exactly the tokens its insert stored (the safe path:
 * redelivery, replay, a key repeated in the batch) and adds them in one statement, so PostgreSQL never unnests a row
 * to count it. (V44's backfill, which counted the rows stored before V44 in SQL, was a one-time conversion.)
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
        // First pass: each run's largest layer and expert id, so that its vectors have their length.
        Map<String, RunCounts> runs = new HashMap<>();
        RunCounts run = null;
        String runId = null;
        for (int t : tokens) {
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
            for (int d = firstDecision; d < endDecision; d++) {
                int cell = batch.layer(d) * 2 + phase;
                long[] vector = minuteCounts[cell];
                if (vector == null) {
                    vector = minuteCounts[cell] = new long[run.experts];
                }
                for (int e = batch.firstExpert(d); e < batch.endExpert(d); e++) {
                    vector[batch.expertId(e)]++;
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

        /** The rows of one run's vectors, {@link RunCounts} layout; {@code bucket} is ignored by the whole-run table. */
        void addRun(String runId, long bucket, RunCounts run, long[][] cells) {
            int experts = run.experts;
            for (int cell = 0; cell < cells.length; cell++) {
                long[] vector = cells[cell];
                if (vector == null || isZero(vector)) {
                    continue;
                }
                runs.add(runId);
                buckets.add(bucket);
                layers.add(cell / 2);
                phases.add((short) (cell % 2));
                firsts.add(size);
                lengths.add(experts);
                if (size + experts > counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(counts.length * 2, size + experts));
                }
                System.arraycopy(vector, 0, counts, size, experts);
                size += experts;
            }
        }

        long[] counts() {
            return Arrays.copyOf(counts, size);
        }

        private static boolean isZero(long[] vector) {
            for (long count : vector) {
                if (count != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One run's counts per minute: per (layer, phase) at {@code layer * 2 + phase} a vector of {@code experts} counts,
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
            return (maxLayer + 1) * 2;
        }
    }
}
