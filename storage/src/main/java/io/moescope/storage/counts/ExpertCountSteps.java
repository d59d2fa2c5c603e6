package io.moescope.storage.counts;

import io.moescope.events.ExpertCounts;
import io.moescope.events.Phase;
import io.moescope.storage.rollups.CountGrid;
import java.util.ArrayList;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the stored steps of aggregate-only runs ({@code expert_count_step}, written by {@link ExpertCountsWriter}).
 * Stateless.
 */
public final class ExpertCountSteps {

    private final JdbcClient jdbc;

    public ExpertCountSteps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many steps of counts the run holds: 0 for a run of tokens. */
    public long stepsOf(String runId) {
        return jdbc.sql("SELECT count(*) FROM expert_count_step WHERE run_id = ?").param(runId)
                .query(Long.class).single();
    }

    /** Hands {@code each} the run's steps in step order, one at a time (a step is a few kilobytes). */
    public void forEach(String runId, Consumer<ExpertCounts> each) {
        jdbc.sql("""
                SELECT step, phase, (extract(epoch FROM routed_at) * 1000000)::bigint, tokens, counts
                FROM expert_count_step WHERE run_id = ? ORDER BY step""").param(runId)
                .query(rs -> {
                    CountGrid grid = CountGrid.decode(rs.getBytes(5));
                    int[] ids = grid.layers();
                    var layers = new ArrayList<ExpertCounts.LayerCounts>(ids.length);
                    for (int i = 0; i < ids.length; i++) {
                        layers.add(new ExpertCounts.LayerCounts(ids[i], grid.countsAt(i)));
                    }
                    each.accept(new ExpertCounts(runId, rs.getLong(1), Phase.ofCode(rs.getShort(2)), rs.getLong(3),
                            rs.getLong(4), layers));
                });
    }
}
