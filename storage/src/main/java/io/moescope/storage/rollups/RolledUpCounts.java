package io.moescope.storage.rollups;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the rollups: a run's hard counts per layer and expert ({@code expert_load}), per minute
 * ({@code load_grid_minute} and {@code load_grid_current}) and its routed span.
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
     * One minute's counts of a run in one phase, all its layers ({@link CountGrid}).
     *
     * @param minuteMicros the minute's start, in microseconds from the Unix epoch ({@link MinuteGrids#minuteOf})
     */
    public record MinuteCounts(long minuteMicros, CountGrid grid) {
    }

    /**
     * Hands {@code each} the run's minute grids one at a time, in no particular order: one per minute and phase (two
     * where late data counted a minute that had moved on), so a minute's counts are the sum of those handed.
     *
     * @param phase the schema's phase code (0 = prefill, 1 = decode); null for every phase
     */
    public void forEachMinute(String runId, Short phase, Consumer<MinuteCounts> each) {
        jdbc.sql(MINUTES)
                .param("run", runId)
                .param("phase", phase)
                .query(rs -> {
                    each.accept(new MinuteCounts(rs.getLong(1), CountGrid.decode(rs.getBytes(2))));
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
