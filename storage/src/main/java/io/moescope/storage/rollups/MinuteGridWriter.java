package io.moescope.storage.rollups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Adds a batch's minute grids to the minute rollup, in the caller's transaction. Each run and phase has one current
 * minute, counted in {@code load_grid_current} (one row per run and phase); when a batch brings a later minute, the
 * current one moves to {@code load_grid_minute} and is not written again, unless late data for it comes. Why two
 * tables: a minute is rewritten by every batch that brings tokens of it, and each rewrite leaves the old row version
 * behind until vacuum; rewritten in the same table as the finished minutes, those versions fill the pages that new
 * minutes would go to (measured: a slow run's minute rollup three to four times its live size). In a table of one
 * row per run and phase they stay few, and the finished minutes are written once, into full pages.
 *
 * <p>The grids are added in Java ({@link CountGrid}), because adding packed counts in SQL takes tens of milliseconds
 * a grid. Writers of the same run are serialised by a transaction-scoped advisory lock per run (TimescaleDB cannot
 * lock rows of a compressed chunk with {@code FOR UPDATE}, and late or imported data may meet one), taken in the order
 * of the sorted run ids; the stored grids are read after the lock, in statements of their own, so that their
 * snapshot holds every earlier writer's grids.
 *
 * <p>The same writer keeps {@code load_grid_hour} (V55) the sum of each of its hours' finished minutes: an hour of a
 * run and phase gets its row once the current minute has moved past it (its finished minutes, read once, then
 * summed), and late data for an hour that has a row adds to it; the current hour waits, so that an hour's row is not
 * rewritten as each of its minutes finishes. Plain JDBC; stateless.
 */
final class MinuteGridWriter {

    private static final String LOCK_RUNS = "SELECT pg_advisory_xact_lock(?, hashtext(r)) FROM unnest(?::text[]) AS r";

    /** Keeps these advisory locks apart from any other user's. */
    private static final int GRID_LOCKS = 48;

    private static final String CURRENT = """
            SELECT run_id, (extract(epoch FROM bucket) * 1000000)::bigint, phase, counts FROM load_grid_current
            WHERE run_id = ANY (?::text[])""";

    /** The stored grids of the keys' minutes. */
    private static final String STORED_MINUTES = storedGrids("load_grid_minute");

    /** The stored grids of the keys' hours. */
    private static final String STORED_HOURS = storedGrids("load_grid_hour");

    /** The stored grids of the keys' periods (minutes or hours) in {@code table}. */
    private static String storedGrids(String table) {
        return """
                SELECT k.run_id, k.bucket_us, k.phase, m.counts
                FROM %s m
                JOIN unnest(?::text[], ?::bigint[], ?::smallint[]) AS k(run_id, bucket_us, phase)
                  ON m.run_id = k.run_id AND m.bucket = TIMESTAMPTZ 'epoch' + k.bucket_us * INTERVAL '1 microsecond'
                 AND m.phase = k.phase""".formatted(table);
    }

    /** The finished minutes of the keys' hours, each row keyed by its hour. */
    private static final String MINUTES_OF_HOURS = """
            SELECT k.run_id, k.bucket_us, k.phase, m.counts
            FROM unnest(?::text[], ?::bigint[], ?::smallint[]) AS k(run_id, bucket_us, phase)
            JOIN load_grid_minute m
              ON m.run_id = k.run_id AND m.phase = k.phase
             AND m.bucket >= TIMESTAMPTZ 'epoch' + k.bucket_us * INTERVAL '1 microsecond'
             AND m.bucket < TIMESTAMPTZ 'epoch' + (k.bucket_us + 3600000000) * INTERVAL '1 microsecond'""";

    private static final String WRITE_HOURS = writeGrids("load_grid_hour");

    private static final String WRITE_FINISHED = writeGrids("load_grid_minute");

    private static final String WRITE_CURRENT = """
            INSERT INTO load_grid_current (run_id, phase, bucket, counts)
            SELECT run_id, phase, TIMESTAMPTZ 'epoch' + bucket_us * INTERVAL '1 microsecond', counts
            FROM unnest(?::text[], ?::bigint[], ?::smallint[], ?::bytea[]) AS k(run_id, bucket_us, phase, counts)
            ORDER BY run_id, phase
            ON CONFLICT (run_id, phase) DO UPDATE SET bucket = EXCLUDED.bucket, counts = EXCLUDED.counts""";

    /** Sets the grids of whole periods (minutes or hours) of {@code table}, keyed by run, period start and phase. */
    private static String writeGrids(String table) {
        return """
                INSERT INTO %s (run_id, bucket, phase, counts)
                SELECT run_id, TIMESTAMPTZ 'epoch' + bucket_us * INTERVAL '1 microsecond', phase, counts
                FROM unnest(?::text[], ?::bigint[], ?::smallint[], ?::bytea[]) AS k(run_id, bucket_us, phase, counts)
                ORDER BY run_id, bucket_us, phase
                ON CONFLICT (run_id, bucket, phase) DO UPDATE SET counts = EXCLUDED.counts""".formatted(table);
    }

    private MinuteGridWriter() {
    }

    static void add(Connection connection, MinuteGrids minutes) throws SQLException {
        if (minutes.runs.isEmpty()) {
            return;
        }
        var runs = new TreeSet<>(minutes.runs);
        try (PreparedStatement lock = connection.prepareStatement(LOCK_RUNS)) {
            lock.setInt(1, GRID_LOCKS);
            lock.setArray(2, connection.createArrayOf("text", runs.toArray()));
            lock.execute();
        }
        Map<Minute, CountGrid> batch = new HashMap<>();
        for (int row = 0; row < minutes.runs.size(); row++) {
            batch.merge(new Minute(minutes.runs.get(row), minutes.buckets.get(row), minutes.phases.get(row)),
                    minutes.grids.get(row), CountGrid::plus);
        }
        // The current minutes of the run-phases the batch brings tokens of (another phase's is left as it is).
        var phases = batch.keySet().stream().map(Minute::runPhase).collect(Collectors.toSet());
        Map<Minute, CountGrid> current = current(connection, runs, phases);
        // Per run and phase the latest minute of the batch and of the current row stays current; the others finish.
        Map<RunPhase, Minute> latest = new HashMap<>();
        for (Map<Minute, CountGrid> grids : List.of(current, batch)) {
            grids.keySet().forEach(minute -> latest.merge(minute.runPhase(), minute, Minute::later));
        }
        var updated = new HashMap<Minute, CountGrid>();
        var finished = new HashMap<Minute, CountGrid>();
        for (Map<Minute, CountGrid> grids : List.of(current, batch)) {
            grids.forEach((minute, grid) -> (latest.get(minute.runPhase()).equals(minute) ? updated : finished)
                    .merge(minute, grid, CountGrid::plus));
        }
        // what the finished minutes gain, before their stored counts are added: what their hours gain
        var added = Map.copyOf(finished);
        stored(connection, STORED_MINUTES, finished.keySet())
                .forEach((minute, grid) -> finished.merge(minute, grid, CountGrid::plus));
        write(connection, WRITE_FINISHED, finished);
        write(connection, WRITE_CURRENT, updated);
        addToHours(connection, added, latest);
    }

    /**
     * Adds the finished minutes' new counts to their hours' rows where there are some (late data); an hour without
     * one that the current minute has moved past gets the sum of its finished minutes, this batch's included.
     */
    private static void addToHours(Connection connection, Map<Minute, CountGrid> added, Map<RunPhase, Minute> latest)
            throws SQLException {
        Map<Minute, CountGrid> gained = new HashMap<>();
        added.forEach((minute, grid) -> gained.merge(minute.hour(), grid, CountGrid::plus));
        Map<Minute, CountGrid> hours = stored(connection, STORED_HOURS, gained.keySet());
        hours.replaceAll((hour, grid) -> grid.plus(gained.get(hour)));
        var passed = gained.keySet().stream().filter(hour -> !hours.containsKey(hour)
                && hour.bucketMicros < latest.get(hour.runPhase()).hour().bucketMicros).toList();
        hours.putAll(stored(connection, MINUTES_OF_HOURS, passed));
        write(connection, WRITE_HOURS, hours);
    }

    /** The stored current minutes of {@code phases}, read for their runs. */
    private static Map<Minute, CountGrid> current(Connection connection, TreeSet<String> runs, Set<RunPhase> phases)
            throws SQLException {
        var grids = new HashMap<Minute, CountGrid>();
        try (PreparedStatement read = connection.prepareStatement(CURRENT)) {
            read.setArray(1, connection.createArrayOf("text", runs.toArray()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    var minute = new Minute(rs.getString(1), rs.getLong(2), rs.getShort(3));
                    if (phases.contains(minute.runPhase())) {
                        grids.put(minute, CountGrid.decode(rs.getBytes(4)));
                    }
                }
            }
        }
        return grids;
    }

    /** What {@code sql} reads for {@code keys}: rows of the same key summed. */
    private static Map<Minute, CountGrid> stored(Connection connection, String sql, Collection<Minute> keys)
            throws SQLException {
        var grids = new HashMap<Minute, CountGrid>();
        if (keys.isEmpty()) {
            return grids;
        }
        try (PreparedStatement read = connection.prepareStatement(sql)) {
            setKeys(connection, read, new ArrayList<>(keys));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    grids.merge(new Minute(rs.getString(1), rs.getLong(2), rs.getShort(3)),
                            CountGrid.decode(rs.getBytes(4)), CountGrid::plus);
                }
            }
        }
        return grids;
    }

    private static void write(Connection connection, String sql, Map<Minute, CountGrid> grids) throws SQLException {
        if (grids.isEmpty()) {
            return;
        }
        var keys = new ArrayList<>(grids.keySet());
        try (PreparedStatement write = connection.prepareStatement(sql)) {
            setKeys(connection, write, keys);
            write.setArray(4, connection.createArrayOf("bytea",
                    keys.stream().map(key -> grids.get(key).encoded()).toArray(byte[][]::new)));
            write.execute();
        }
    }

    /** The minutes as the first three parameters: runs, minutes in microseconds from the epoch, phases. */
    private static void setKeys(Connection connection, PreparedStatement statement, List<Minute> keys)
            throws SQLException {
        statement.setArray(1, connection.createArrayOf("text", keys.stream().map(Minute::runId).toArray()));
        statement.setObject(2, RunVolumes.longs(keys.stream().map(Minute::bucketMicros).toList()));
        statement.setArray(3, connection.createArrayOf("int2", keys.stream().map(Minute::phase).toArray()));
    }

    private record RunPhase(String runId, short phase) {
    }

    /** One minute of a run and phase. */
    private record Minute(String runId, long bucketMicros, short phase) {

        RunPhase runPhase() {
            return new RunPhase(runId, phase);
        }

        /** The UTC hour holding the minute, keyed as a minute is. */
        Minute hour() {
            return new Minute(runId, MinuteGrids.hourOf(bucketMicros), phase);
        }

        static Minute later(Minute a, Minute b) {
            return a.bucketMicros >= b.bucketMicros ? a : b;
        }
    }
}
