package io.moescope.app.metrics;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.LayerLoadMetrics;
import io.moescope.events.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Per-layer load metrics of a run, computed from the {@code expert_load} rollup, never from raw rows. */
@Service
public class RunMetricsService {

    private final JdbcClient jdbc;

    RunMetricsService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param phase the phase to cover, or empty for prefill and decode together
     * @return empty when the run is unknown
     */
    public Optional<RunMetrics> metrics(String runId, Optional<Phase> phase) {
        Optional<int[]> shape = jdbc.sql("SELECT num_experts, top_k FROM run WHERE run_id = ?")
                .param(runId)
                .query((rs, row) -> new int[] {rs.getInt(1), rs.getInt(2)})
                .optional();
        return shape.map(nk -> new RunMetrics(runId, describe(phase), nk[0], nk[1], layers(runId, phase, nk[0])));
    }

    private List<LayerLoadMetrics> layers(String runId, Optional<Phase> phase, int numExperts) {
        Map<Integer, long[]> counts = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT layer, expert, sum(tokens) FROM expert_load
                        WHERE run_id = :run AND (CAST(:phase AS smallint) IS NULL OR phase = CAST(:phase AS smallint))
                        GROUP BY layer, expert ORDER BY layer, expert""")
                .param("run", runId)
                .param("phase", phase.map(p -> (short) p.ordinal()).orElse(null))
                .query(rs -> {
                    long[] layer = counts.computeIfAbsent(rs.getInt(1), l -> new long[numExperts]);
                    layer[rs.getInt(2)] = rs.getLong(3);
                });
        var layers = new ArrayList<LayerLoadMetrics>(counts.size());
        counts.forEach((layer, c) -> layers.add(LayerLoadMetrics.of(new ExpertLoad(layer, c))));
        return layers;
    }

    private static String describe(Optional<Phase> phase) {
        return phase.map(p -> "all " + p.name().toLowerCase() + " tokens of the run")
                .orElse("all tokens of the run, prefill and decode");
    }
}
