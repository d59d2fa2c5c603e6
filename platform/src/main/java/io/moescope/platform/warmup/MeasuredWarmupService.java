package io.moescope.platform.warmup;

import io.moescope.analytics.suite.Defined;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Measured expert-cache figures of a run (from {@code expert_cache_access}, aggregated in PostgreSQL) beside the
 * warm-up simulation for the probe's cache size (the run's routing streamed once through {@link SimulatedWarmups}).
 */
@Service
public class MeasuredWarmupService {

    private static final double NANOS_PER_MS = 1e6;

    private static final String OFFLOADING = """
            SELECT min(capacity), min(policy), count(DISTINCT (request_id, token_index))
            FROM expert_cache_access WHERE run_id = ?""";

    private static final String LAYERS = """
            SELECT layer, count(*), count(*) FILTER (WHERE hit), count(DISTINCT expert), sum(bytes_read),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY load_nanos) FILTER (WHERE NOT hit),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY load_nanos) FILTER (WHERE NOT hit),
                   max(load_nanos) FILTER (WHERE NOT hit)
            FROM expert_cache_access WHERE run_id = ? GROUP BY layer ORDER BY layer""";

    private static final String CURVE = """
            SELECT layer, token_index, count(*), count(*) FILTER (WHERE hit)
            FROM expert_cache_access WHERE run_id = ? AND token_index < ?
            GROUP BY layer, token_index ORDER BY layer, token_index""";

    private final JdbcClient jdbc;
    private final RolledUpLoads runs;
    private final RoutingRows rows;

    MeasuredWarmupService(JdbcClient jdbc, RolledUpLoads runs, RoutingRows rows) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.rows = rows;
    }

    /** @return empty when the run is unknown */
    public Optional<MeasuredWarmup> warmup(String runId) {
        return runs.shape(runId).map(shape -> {
            Optional<MeasuredWarmup.Offloading> offloading = offloading(runId);
            if (offloading.isEmpty()) {
                return new MeasuredWarmup(runId, shape.numExperts(), shape.topK(), Defined.undefined(
                        "no expert-cache events stored for this run: the probe ran without --expert-cache"), List.of());
            }
            int capacity = offloading.get().capacity();
            var simulation = new SimulatedWarmups(new WarmupAccumulator.Settings(shape.numExperts(), capacity,
                    new int[] {capacity}, SuiteOptions.DEFAULT_WINDOW, SuiteOptions.SETTLING_TOLERANCE,
                    SuiteOptions.STABILISATION_JSD, SuiteOptions.MAX_CURVE_TOKENS));
            rows.forEach(TokenSet.wholeRun(runId, Optional.empty()), simulation);
            simulation.finish();
            return new MeasuredWarmup(runId, shape.numExperts(), shape.topK(), Defined.of(offloading.get()),
                    layers(runId, simulation));
        });
    }

    private Optional<MeasuredWarmup.Offloading> offloading(String runId) {
        return jdbc.sql(OFFLOADING).param(runId)
                .query((rs, row) -> rs.getLong(3) == 0 ? Optional.<MeasuredWarmup.Offloading>empty()
                        : Optional.of(new MeasuredWarmup.Offloading(rs.getInt(1), rs.getString(2), rs.getLong(3))))
                .single();
    }

    private List<MeasuredWarmup.Layer> layers(String runId, SimulatedWarmups simulation) {
        Map<Integer, List<MeasuredWarmup.Point>> curves = new HashMap<>();
        jdbc.sql(CURVE).param(runId).param(SuiteOptions.MAX_CURVE_TOKENS).query(rs -> {
            curves.computeIfAbsent(rs.getInt(1), l -> new ArrayList<>()).add(new MeasuredWarmup.Point(rs.getInt(2),
                    rs.getLong(3), (double) rs.getLong(4) / rs.getLong(3)));
        });
        return jdbc.sql(LAYERS).param(runId).query((rs, row) -> {
            int layer = rs.getInt(1);
            long accesses = rs.getLong(2);
            long hits = rs.getLong(3);
            return new MeasuredWarmup.Layer(layer, accesses, hits, accesses - hits, (double) hits / accesses,
                    rs.getInt(4), rs.getLong(5), millis(rs.getObject(6)), millis(rs.getObject(7)),
                    millis(rs.getObject(8)), curves.getOrDefault(layer, List.of()), simulation.of(layer));
        }).list();
    }

    private static Double millis(Object nanos) {
        return nanos == null ? null : ((Number) nanos).doubleValue() / NANOS_PER_MS;
    }
}
