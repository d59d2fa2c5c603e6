package io.moescope.platform.metrics;

import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.events.Phase;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Per-layer load metrics of a run, computed from the {@code expert_load} rollup, never from raw rows. */
@Service
public class RunMetricsService {

    private final RolledUpLoads loads;

    RunMetricsService(RolledUpLoads loads) {
        this.loads = loads;
    }

    /**
     * @param phase the phase to cover, or empty for prefill and decode together
     * @return empty when the run is unknown
     */
    public Optional<RunMetrics> metrics(String runId, Optional<Phase> phase) {
        return loads.shape(runId).map(shape -> new RunMetrics(runId, describe(phase), shape.numExperts(),
                shape.topK(), layers(runId, phase, shape.numExperts())));
    }

    private List<LayerLoadMetrics> layers(String runId, Optional<Phase> phase, int numExperts) {
        return loads.of(runId, phase, numExperts).stream().map(LayerLoadMetrics::of).toList();
    }

    private static String describe(Optional<Phase> phase) {
        return phase.map(p -> "all " + p.name().toLowerCase() + " tokens of the run")
                .orElse("all tokens of the run, prefill and decode");
    }
}
