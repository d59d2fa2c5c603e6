package io.moescope.storage.rollups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Adds counts to the three rollups, {@code layer_load}, {@code load_grid_minute} and {@code run_volume}, in the
 * caller's transaction. The one writer of the rollups: ingest's fast and safe paths both count in Java and add
 * through here.
 *
 * <p>{@code layer_load} and {@code run_volume} take one statement: each {@code layer_load} vector is a slice of one
 * flat parameter, {@code counts[first + 1 : first + experts]}, added element-wise by {@code moescope_add_counts}.
 * The minute grids ({@link CountGrid}) are added in Java, because adding packed counts in SQL takes tens of
 * milliseconds a grid: under a lock per run, the stored grids are read, summed with the batch's and written back, so
 * concurrent writers of the same run wait for each other and no count is lost. Every statement touches its rows in
 * primary-key order (PostgreSQL's collation orders run ids, not Java's), so concurrent writers lock them in the same
 * order and wait instead of deadlocking. Plain JDBC; stateless.
 */
public final class RollupUpsert {

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

    /**
     * Serialises the writers of a run's minute grids: an advisory lock per run (TimescaleDB cannot lock rows of a
     * compressed chunk with {@code FOR UPDATE}, and late data may meet one). Locks are taken in the order of the
     * parameter, which every writer sorts the same way. {@link #GRID_LOCKS} keeps them apart from other advisory locks.
     */
    private static final String LOCK_RUNS = "SELECT pg_advisory_xact_lock(?, hashtext(r)) FROM unnest(?::text[]) AS r";

    private static final int GRID_LOCKS = 48;

    /** Read after the lock, in a statement of its own, so that its snapshot holds every earlier writer's grids. */
    private static final String STORED_MINUTES = """
            SELECT k.run_id, k.bucket_us, k.phase, m.counts
            FROM load_grid_minute m
            JOIN unnest(?::text[], ?::bigint[], ?::smallint[]) AS k(run_id, bucket_us, phase)
              ON m.run_id = k.run_id AND m.bucket = TIMESTAMPTZ 'epoch' + k.bucket_us * INTERVAL '1 microsecond'
             AND m.phase = k.phase""";

    private static final String WRITE_MINUTES = """
            INSERT INTO load_grid_minute (run_id, bucket, phase, counts)
            SELECT run_id, TIMESTAMPTZ 'epoch' + bucket_us * INTERVAL '1 microsecond', phase, counts
            FROM unnest(?::text[], ?::bigint[], ?::smallint[], ?::bytea[]) AS k(run_id, bucket_us, phase, counts)
            ORDER BY run_id, bucket_us, phase
            ON CONFLICT (run_id, bucket, phase) DO UPDATE SET counts = EXCLUDED.counts""";

    private RollupUpsert() {
    }

    /** Adds {@code load}'s rows to {@code layer_load}, {@code minutes}' to {@code load_grid_minute}. */
    public static void upsert(Connection connection, CountVectors load, MinuteGrids minutes, RunVolumes volumes)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            int i = 1;
            statement.setArray(i++, connection.createArrayOf("text", load.runs.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.layers.toArray()));
            statement.setArray(i++, connection.createArrayOf("int2", load.phases.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.firsts.toArray()));
            statement.setArray(i++, connection.createArrayOf("int4", load.lengths.toArray()));
            statement.setObject(i++, load.counts()); // long[]: pgjdbc sends primitive arrays as int8[]
            statement.setArray(i++, connection.createArrayOf("text", volumes.runs.toArray()));
            statement.setObject(i++, RunVolumes.longs(volumes.tokens));
            statement.setObject(i++, RunVolumes.longs(volumes.decisions));
            statement.setObject(i++, RunVolumes.longs(volumes.firstMicros));
            statement.setObject(i, RunVolumes.longs(volumes.lastMicros));
            statement.execute();
        }
        addMinutes(connection, minutes);
    }

    private static void addMinutes(Connection connection, MinuteGrids minutes) throws SQLException {
        if (minutes.runs.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(LOCK_RUNS)) {
            lock.setInt(1, GRID_LOCKS);
            lock.setArray(2, connection.createArrayOf("text", new TreeSet<>(minutes.runs).toArray()));
            lock.execute();
        }
        Map<MinuteKey, CountGrid> sums = new HashMap<>();
        for (int row = 0; row < minutes.runs.size(); row++) {
            sums.merge(new MinuteKey(minutes.runs.get(row), minutes.buckets.get(row), minutes.phases.get(row)),
                    minutes.grids.get(row), CountGrid::plus);
        }
        try (PreparedStatement stored = connection.prepareStatement(STORED_MINUTES)) {
            stored.setArray(1, connection.createArrayOf("text", minutes.runs.toArray()));
            stored.setObject(2, RunVolumes.longs(minutes.buckets));
            stored.setArray(3, connection.createArrayOf("int2", minutes.phases.toArray()));
            try (ResultSet rs = stored.executeQuery()) {
                while (rs.next()) {
                    var key = new MinuteKey(rs.getString(1), rs.getLong(2), rs.getShort(3));
                    sums.merge(key, CountGrid.decode(rs.getBytes(4)), CountGrid::plus);
                }
            }
        }
        try (PreparedStatement write = connection.prepareStatement(WRITE_MINUTES)) {
            var keys = new ArrayList<>(sums.keySet());
            write.setArray(1, connection.createArrayOf("text", keys.stream().map(MinuteKey::runId).toArray()));
            write.setObject(2, RunVolumes.longs(keys.stream().map(MinuteKey::bucketMicros).toList()));
            write.setArray(3, connection.createArrayOf("int2", keys.stream().map(MinuteKey::phase).toArray()));
            write.setArray(4, connection.createArrayOf("bytea",
                    keys.stream().map(key -> sums.get(key).encoded()).toArray(byte[][]::new)));
            write.execute();
        }
    }

    /** One row of {@code load_grid_minute}. */
    private record MinuteKey(String runId, long bucketMicros, short phase) {
    }
}
