package io.moescope.storage.rollups;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the rollups: a run's hard counts per layer and expert ({@code expert_load}), per minute
 * ({@code load_grid_minute} and {@code load_grid_current}), per hour ({@code load_grid_hour}) and its routed span.
 */
public final class RolledUpCounts {

    private static final String COUNTS = """
            SELECT layer, expert, sum(tokens) FROM expert_load
            WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))
            GROUP BY layer, expert ORDER BY layer, expert""";

    /** Finished minutes and each phase's current one; late data may have counted a minute in both: add them up. */
    private static final String MINUTES = """
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_minute
            WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))
            UNION ALL
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_current
            WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))""";

    /**
     * The hours that have a grid, then the minutes of those that have none and each phase's current minute: every
     * finished minute counted once, since an hour's grid is the sum of its finished minutes.
     */
    private static final String HOURS = """
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_hour
            WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))
            UNION ALL
            SELECT (extract(epoch FROM m.bucket) * 1000000)::bigint, m.counts FROM load_grid_minute m
            WHERE m.run_id = :run AND (CAST(:phase AS smallint) IS NULL OR m.phase = CAST(:phase AS smallint))
              AND NOT EXISTS (SELECT FROM load_grid_hour h WHERE h.run_id = m.run_id AND h.phase = m.phase
                              AND h.bucket = date_bin('1 hour', m.bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00'))
            UNION ALL
            SELECT (extract(epoch FROM bucket) * 1000000)::bigint, counts FROM load_grid_current
            WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))""";

    private static final String SPAN = "SELECT first_routed_at, last_routed_at FROM run_volume WHERE run_id = ?";

    private final JdbcClient jdbc;

    public RolledUpCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The run's counts per layer with routed tokens, in layer order, each {@code numExperts} long.
     *
     * @param phase the schema's phase code (0 = prefill, 1 = decode); null for both
     */
    public Map<Integer, long[]> byLayer(String runId, Short phase, int numExperts) {
        Map<Integer, long[]> counts = new TreeMap<>();
        jdbc.sql(COUNTS)
                .param("run", runId)
                .param("phase", phase)
                .query(rs -> {
                    long[] layer = counts.computeIfAbsent(rs.getInt(1), l -> new long[numExperts]);
                    layer[rs.getInt(2)] = rs.getLong(3);
                });
        return counts;
    }

    /**
     * The counts of a run in one phase over a minute or an hour, all its layers ({@link CountGrid}).
     *
     * @param startMicros the minute's or hour's start, in microseconds from the Unix epoch
     *                    ({@link MinuteGrids#minuteOf})
     */
    public record PeriodCounts(long startMicros, CountGrid grid) {
    }

    /**
     * Hands {@code each} the run's minute grids one at a time, in no particular order: one per minute and phase (two
     * where late data counted a minute that had moved on), so a minute's counts are the sum of those handed.
     *
     * @param phase the schema's phase code (0 = prefill, 1 = decode); null for every phase
     */
    public void forEachMinute(String runId, Short phase, Consumer<PeriodCounts> each) {
        forEach(MINUTES, runId, phase, each);
    }

    /**
     * Hands {@code each} the run's counts one at a time, in no particular order, each within one UTC hour: an hour's
     * grid where ingest keeps one ({@code load_grid_hour}), else its minutes' grids, so an hour's counts are the sum
     * of those handed that start in it. Where a run's minutes have hour grids, that is one grid an hour instead of
     * sixty.
     *
     * @param phase the schema's phase code (0 = prefill, 1 = decode); null for every phase
     */
    public void forEachHour(String runId, Short phase, Consumer<PeriodCounts> each) {
        forEach(HOURS, runId, phase, each);
    }

    private void forEach(String sql, String runId, Short phase, Consumer<PeriodCounts> each) {
        jdbc.sql(sql)
                .param("run", runId)
                .param("phase", phase)
                .query(rs -> {
                    each.accept(new PeriodCounts(rs.getLong(1), CountGrid.decode(rs.getBytes(2))));
                });
    }

    /** The routing times of a run's first and last stored token. */
    public record Span(Instant first, Instant last) {
    }

    /** @return empty when the run has no stored token */
    public Optional<Span> span(String runId) {
        return jdbc.sql(SPAN).param(runId)
                .query((rs, i) -> new Span(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
                .optional();
    }
}
