package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
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
            loadSize += run.load.size();
            for (Map<Integer, long[]> minute : run.minutes.values()) {
                minuteSize += minute.size();
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
            for (var count : run.load.entrySet()) {
                int key = count.getKey();
                loadRuns[l] = runId;
                loadLayers[l] = layer(key);
                loadExperts[l] = expert(key);
                loadPhases[l] = phase(key);
                loadTokens[l++] = count.getValue()[0];
            }
            for (var minute : run.minutes.entrySet()) {
                for (var count : minute.getValue().entrySet()) {
                    int key = count.getKey();
                    minuteRuns[m] = runId;
                    minuteBuckets[m] = minute.getKey();
                    minuteLayers[m] = layer(key);
                    minuteExperts[m] = expert(key);
                    minutePhases[m] = phase(key);
                    minuteTokens[m++] = count.getValue()[0];
                }
            }
            volumeRuns[v] = runId;
            volumeTokens[v] = run.tokens;
            volumeDecisions[v] = run.decisions;
            volumeFirst[v] = run.firstMicros;
            volumeLast[v++] = run.lastMicros;
        }
    }

    static BatchRollups of(List<TokenRouting> batch) {
        Map<String, RunCounts> runs = new HashMap<>();
        RunCounts run = null;
        String runId = null;
        long minute = Long.MIN_VALUE;
        Map<Integer, long[]> minuteCounts = null;
        for (TokenRouting token : batch) {
            if (!token.runId().equals(runId)) {
                runId = token.runId();
                run = runs.computeIfAbsent(runId, id -> new RunCounts());
                minute = Long.MIN_VALUE;
            }
            long micros = token.timestampMicros();
            long bucket = Math.floorDiv(micros, MINUTE_MICROS) * MINUTE_MICROS;
            if (bucket != minute) {
                minute = bucket;
                minuteCounts = run.minutes.computeIfAbsent(bucket, b -> new HashMap<>());
            }
            run.tokens++;
            run.decisions += token.decisions().size();
            run.firstMicros = Math.min(run.firstMicros, micros);
            run.lastMicros = Math.max(run.lastMicros, micros);
            int phase = phaseCode(token.phase());
            for (RouterDecision decision : token.decisions()) {
                // layer and expert fit 15 bits each (StorableTokens), phase 1 bit: one int per key within a run.
                int layerBits = decision.layer() << 16 | phase;
                for (int expert : decision.expertIds()) {
                    int key = layerBits | expert << 1;
                    run.load.computeIfAbsent(key, k -> new long[1])[0]++;
                    minuteCounts.computeIfAbsent(key, k -> new long[1])[0]++;
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

    private static int layer(int key) {
        return key >>> 16;
    }

    private static int expert(int key) {
        return (key >>> 1) & 0x7FFF;
    }

    private static short phase(int key) {
        return (short) (key & 1);
    }

    private static final class RunCounts {
        final Map<Integer, long[]> load = new HashMap<>();
        final Map<Long, Map<Integer, long[]>> minutes = new HashMap<>();
        long tokens;
        long decisions;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros = Long.MIN_VALUE;
    }
}
