package io.moescope.storage.rollups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Adds counts to the rollups, {@code layer_load}, {@code load_grid_minute} (with {@code load_grid_current} and
 * {@code load_grid_hour}) and {@code run_volume}, in the caller's transaction. The one writer of the rollups:
 * ingest's fast and safe paths both count in Java and add through here.
 *
 * <p>{@code layer_load} and {@code run_volume} take one statement: each {@code layer_load} vector is a slice of one
 * flat parameter, {@code counts[first + 1 : first + experts]}, added element-wise by {@code moescope_add_counts}.
 * The minute grids are added by {@link MinuteGridWriter}. Every statement touches its rows in primary-key order
 * (PostgreSQL's collation orders run ids, not Java's), so concurrent writers lock them in the same order and wait
 * instead of deadlocking. Plain JDBC; stateless.
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
        MinuteGridWriter.add(connection, minutes);
    }
}
