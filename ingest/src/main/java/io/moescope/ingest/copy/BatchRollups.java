package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A batch's contribution to the three rollups, counted in Java: hard counts per (run, layer, expert, phase) for
 * {@code expert_load}, the same per minute for {@code expert_load_minute}, and tokens, decisions and first/last time
 * per run for {@code run_volume}. The writer adds them in one statement when every token of the batch was new (the
 * normal case), so PostgreSQL never unnests a row to count it.
 */
final class BatchRollups {

    static final long MINUTE_MICROS = 60_000_000L;

    // Parallel arrays, one entry per key with a non-zero count.
    private final String[] loadRuns;
    private final Integer[] loadLayers;
    private final Integer[] loadExperts;
    private final Short[] loadPhases;
    private final Long[] loadTokens;
    private final String[] minuteRuns;
    private final Long[] minuteBuckets;
    private final Integer[] minuteLayers;
    private final Integer[] minuteExperts;
    private final Short[] minutePhases;
    private final Long[] minuteTokens;
    private final String[] volumeRuns;
    private final Long[] volumeTokens;
    private final Long[] volumeDecisions;
    private final Long[] volumeFirst;
    private final Long[] volumeLast;
    private final long decisions;

    private static final String UPSERT = """
            WITH load AS (
                INSERT INTO expert_load (run_id, layer, expert, phase, tokens)
                SELECT run_id, layer, expert, phase, tokens
                FROM unnest(?::text[], ?::int[], ?::int[], ?::smallint[], ?::bigint[])
                     AS b(run_id, layer, expert, phase, tokens)
                ORDER BY run_id, layer, expert, phase
                ON CONFLICT (run_id, layer, expert, phase) DO UPDATE SET tokens = expert_load.tokens + EXCLUDED.tokens
            ), minute AS (
                INSERT INTO expert_load_minute (run_id, bucket, layer, expert, phase, tokens)
                SELECT run_id, TIMESTAMPTZ 'epoch' + bucket_us * INTERVAL '1 microsecond', layer, expert, phase, tokens
                FROM unnest(?::text[], ?::bigint[], ?::int[], ?::int[], ?::smallint[], ?::bigint[])
                     AS m(run_id, bucket_us, layer, expert, phase, tokens)
                ORDER BY run_id, bucket_us, layer, expert, phase
                ON CONFLICT (run_id, bucket, layer, expert, phase)
                    DO UPDATE SET tokens = expert_load_minute.tokens + EXCLUDED.tokens
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
                    last_routed_at = GREATEST(run_volume.last_routed_at, EXCLUDED.last_routed_at)
            )
            SELECT 1
            """;

    private BatchRollups(Map<String, RunCounts> runs) {
        int loadSize = 0;
        int minuteSize = 0;
        long decisionCount = 0;
        for (RunCounts run : runs.values()) {
            loadSize += nonZero(run.load);
            for (long[] minute : run.minutes.values()) {
                minuteSize += nonZero(minute);
            }
            decisionCount += run.decisions;
        }
        loadRuns = new String[loadSize];
        loadLayers = new Integer[loadSize];
        loadExperts = new Integer[loadSize];
        loadPhases = new Short[loadSize];
        loadTokens = new Long[loadSize];
        minuteRuns = new String[minuteSize];
        minuteBuckets = new Long[minuteSize];
        minuteLayers = new Integer[minuteSize];
        minuteExperts = new Integer[minuteSize];
        minutePhases = new Short[minuteSize];
        minuteTokens = new Long[minuteSize];
        volumeRuns = new String[runs.size()];
        volumeTokens = new Long[runs.size()];
        volumeDecisions = new Long[runs.size()];
        volumeFirst = new Long[runs.size()];
        volumeLast = new Long[runs.size()];
        decisions = decisionCount;
        int l = 0;
        int m = 0;
        int v = 0;
        for (var entry : runs.entrySet()) {
            String runId = entry.getKey();
            RunCounts run = entry.getValue();
            long[] load = run.load;
            for (int key = 0; key < load.length; key++) {
                if (load[key] != 0) {
                    loadRuns[l] = runId;
                    loadLayers[l] = run.layer(key);
                    loadExperts[l] = run.expert(key);
                    loadPhases[l] = RunCounts.phase(key);
                    loadTokens[l++] = load[key];
                }
            }
            for (var minute : run.minutes.entrySet()) {
                long[] counts = minute.getValue();
                for (int key = 0; key < counts.length; key++) {
                    if (counts[key] != 0) {
                        minuteRuns[m] = runId;
                        minuteBuckets[m] = minute.getKey();
                        minuteLayers[m] = run.layer(key);
                        minuteExperts[m] = run.expert(key);
                        minutePhases[m] = RunCounts.phase(key);
                        minuteTokens[m++] = counts[key];
                    }
                }
            }
            volumeRuns[v] = runId;
            volumeTokens[v] = run.tokens;
            volumeDecisions[v] = run.decisions;
            volumeFirst[v] = run.firstMicros;
            volumeLast[v++] = run.lastMicros;
        }
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
            counts.allocate();
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
            long[] load = run.load;
            int experts = run.experts;
            for (int d = firstDecision; d < endDecision; d++) {
                int layerBase = batch.layer(d) * experts;
                for (int e = batch.firstExpert(d); e < batch.endExpert(d); e++) {
                    int key = (layerBase + batch.expertId(e)) << 1 | phase;
                    load[key]++;
                    minuteCounts[key]++;
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
            statement.setArray(i++, connection.createArrayOf("text", loadRuns));
            statement.setArray(i++, connection.createArrayOf("int4", loadLayers));
            statement.setArray(i++, connection.createArrayOf("int4", loadExperts));
            statement.setArray(i++, connection.createArrayOf("int2", loadPhases));
            statement.setArray(i++, connection.createArrayOf("int8", loadTokens));
            statement.setArray(i++, connection.createArrayOf("text", minuteRuns));
            statement.setArray(i++, connection.createArrayOf("int8", minuteBuckets));
            statement.setArray(i++, connection.createArrayOf("int4", minuteLayers));
            statement.setArray(i++, connection.createArrayOf("int4", minuteExperts));
            statement.setArray(i++, connection.createArrayOf("int2", minutePhases));
            statement.setArray(i++, connection.createArrayOf("int8", minuteTokens));
            statement.setArray(i++, connection.createArrayOf("text", volumeRuns));
            statement.setArray(i++, connection.createArrayOf("int8", volumeTokens));
            statement.setArray(i++, connection.createArrayOf("int8", volumeDecisions));
            statement.setArray(i++, connection.createArrayOf("int8", volumeFirst));
            statement.setArray(i, connection.createArrayOf("int8", volumeLast));
            statement.execute();
        }
    }

    /** The schema's phase codes (0 = prefill, 1 = decode), not the enum's ordinals. */
    static int phaseCode(Phase phase) {
        return phase == Phase.PREFILL ? 0 : 1;
    }

    private static int nonZero(long[] counts) {
        int n = 0;
        for (long c : counts) {
            if (c != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * One run's counts in dense arrays indexed by {@code (layer * experts + expert) * 2 + phase}: a batch touches at
     * most a few thousand keys per run, and array increments are what makes counting in Java cheaper than asking
     * PostgreSQL to count.
     */
    private static final class RunCounts {
        int maxLayer;
        int maxExpert;
        int experts;
        long[] load;
        final Map<Long, long[]> minutes = new HashMap<>();
        long tokens;
        long decisions;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros = Long.MIN_VALUE;

        void allocate() {
            experts = maxExpert + 1;
            load = new long[size()];
        }

        long[] minute(long bucket) {
            return minutes.computeIfAbsent(bucket, b -> new long[size()]);
        }

        private int size() {
            return (maxLayer + 1) * experts * 2;
        }

        int layer(int key) {
            return (key >>> 1) / experts;
        }

        int expert(int key) {
            return (key >>> 1) % experts;
        }

        static short phase(int key) {
            return (short) (key & 1);
        }
    }
}
