package io.moescope.platform.metrics;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.events.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The shape of a run and hard counts c_i per layer of a whole run (optionally one phase), read from the {@code expert_load} rollup. */
@Component
public class RolledUpLoads {

    private final JdbcClient jdbc;

    RolledUpLoads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** N, k and the MoE layers of a run, in layer order. */
    public record RunShape(int numExperts, int topK, List<Integer> moeLayers) {

        public RunShape {
            moeLayers = List.copyOf(moeLayers);
        }

        /** The first MoE layer, or 0 for a run that declares none. */
        public int firstMoeLayer() {
            return moeLayers.isEmpty() ? 0 : moeLayers.get(0);
        }
    }

    /** @return empty when the run is unknown */
    public Optional<RunShape> shape(String runId) {
        return jdbc.sql("SELECT num_experts, top_k, moe_layers FROM run WHERE run_id = ?")
                .param(runId)
                .query((rs, row) -> new RunShape(rs.getInt(1), rs.getInt(2),
                        Arrays.asList((Integer[]) rs.getArray(3).getArray())))
                .optional();
    }

    /** One load per layer with routed tokens, in layer order. */
    public List<ExpertLoad> of(String runId, Optional<Phase> phase, int numExperts) {
        Map<Integer, long[]> counts = new TreeMap<>();
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
        var loads = new ArrayList<ExpertLoad>(counts.size());
        counts.forEach((layer, c) -> loads.add(new ExpertLoad(layer, c)));
        return loads;
    }
}
