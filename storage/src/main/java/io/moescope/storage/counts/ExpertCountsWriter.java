package io.moescope.storage.counts;

import io.moescope.events.ExpertCounts;
import io.moescope.storage.rollups.CountGrid;
import io.moescope.storage.rollups.CountVectors;
import io.moescope.storage.rollups.MinuteGrids;
import io.moescope.storage.rollups.RollupUpsert;
import io.moescope.storage.rollups.RunVolumes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores the steps of aggregate-only runs ({@link ExpertCounts}) in {@code expert_count_step} and adds the counts of
 * the steps it inserted to the rollups ({@link RollupUpsert}), in the caller's transaction. A step stored before (a
 * redelivery) is left out of both, so the rollups count each step once. Plain JDBC; stateless.
 */
public final class ExpertCountsWriter {

    private static final String INSERT = """
            INSERT INTO expert_count_step (run_id, step, phase, routed_at, tokens, counts)
            SELECT run_id, step, phase, TIMESTAMPTZ 'epoch' + routed_us * INTERVAL '1 microsecond', tokens, counts
            FROM unnest(?::text[], ?::bigint[], ?::smallint[], ?::bigint[], ?::bigint[], ?::bytea[])
                 AS s(run_id, step, phase, routed_us, tokens, counts)
            ORDER BY run_id, step
            ON CONFLICT (run_id, step) DO NOTHING
            RETURNING run_id, step""";

    /** The key of a step: a run's step number. */
    private record StepKey(String runId, long step) {
    }

    /** The key of a rollup row: a run's layer (or minute) in a phase. */
    private record Cell(String runId, long at, int phase) {
    }

    /** @return how many of {@code steps} were new (stored now and counted in the rollups) */
    public int write(Connection connection, List<ExpertCounts> steps) throws SQLException {
        if (steps.isEmpty()) {
            return 0;
        }
        Set<StepKey> inserted = insert(connection, steps);
        var added = new ArrayList<ExpertCounts>(inserted.size());
        for (ExpertCounts step : steps) {
            // a step twice in one batch is inserted once: the second is not in the set any more
            if (inserted.remove(new StepKey(step.runId(), step.step()))) {
                added.add(step);
            }
        }
        addToRollups(connection, added);
        return added.size();
    }

    private static Set<StepKey> insert(Connection connection, List<ExpertCounts> steps) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setArray(1, connection.createArrayOf("text", steps.stream().map(ExpertCounts::runId).toArray()));
            statement.setObject(2, steps.stream().mapToLong(ExpertCounts::step).toArray());
            statement.setArray(3, connection.createArrayOf("int2",
                    steps.stream().map(s -> (short) s.phase().code()).toArray()));
            statement.setObject(4, steps.stream().mapToLong(ExpertCounts::timestampMicros).toArray());
            statement.setObject(5, steps.stream().mapToLong(ExpertCounts::tokens).toArray());
            statement.setArray(6, connection.createArrayOf("bytea",
                    steps.stream().map(s -> grid(s).encoded()).toArray(byte[][]::new)));
            var inserted = new HashSet<StepKey>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    inserted.add(new StepKey(rows.getString(1), rows.getLong(2)));
                }
            }
            return inserted;
        }
    }

    /**
     * One row per run, layer and phase, per run, minute and phase, and per run: the rollups' statements take each key
     * once.
     */
    private static void addToRollups(Connection connection, List<ExpertCounts> steps) throws SQLException {
        if (steps.isEmpty()) {
            return;
        }
        var layers = new TreeMap<Cell, long[]>(ExpertCountsWriter::compare);
        var minutes = new TreeMap<Cell, TreeMap<Integer, long[]>>(ExpertCountsWriter::compare);
        var volumes = new TreeMap<String, long[]>();
        for (ExpertCounts step : steps) {
            long minute = MinuteGrids.minuteOf(step.timestampMicros());
            var grid = minutes.computeIfAbsent(new Cell(step.runId(), minute, step.phase().code()),
                    c -> new TreeMap<>());
            for (ExpertCounts.LayerCounts layer : step.layers()) {
                long[] counts = layer.counts();
                add(layers.computeIfAbsent(new Cell(step.runId(), layer.layer(), step.phase().code()),
                        c -> new long[counts.length]), counts);
                add(grid.computeIfAbsent(layer.layer(), l -> new long[counts.length]), counts);
            }
            long[] volume = volumes.computeIfAbsent(step.runId(),
                    r -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            volume[0] += step.tokens();
            volume[1] += step.decisions();
            volume[2] = Math.min(volume[2], step.timestampMicros());
            volume[3] = Math.max(volume[3], step.timestampMicros());
        }
        var load = new CountVectors();
        layers.forEach((cell, counts) -> load.add(cell.runId(), (int) cell.at(), cell.phase(), counts));
        var grids = new MinuteGrids();
        minutes.forEach((cell, vectors) -> grids.add(cell.runId(), cell.at(), cell.phase(), CountGrid.of(vectors)));
        var runs = new RunVolumes();
        volumes.forEach((run, v) -> runs.add(run, v[0], v[1], v[2], v[3]));
        RollupUpsert.upsert(connection, load, grids, runs);
    }

    private static CountGrid grid(ExpertCounts step) {
        var vectors = new TreeMap<Integer, long[]>();
        step.layers().forEach(layer -> vectors.put(layer.layer(), layer.counts()));
        return CountGrid.of(vectors);
    }

    private static void add(long[] sum, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            sum[i] += counts[i];
        }
    }

    private static int compare(Cell a, Cell b) {
        int byRun = a.runId().compareTo(b.runId());
        if (byRun != 0) {
            return byRun;
        }
        int byAt = Long.compare(a.at(), b.at());
        return byAt != 0 ? byAt : Integer.compare(a.phase(), b.phase());
    }
}
