package io.moescope.platform.metrics;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.events.Phase;
import io.moescope.storage.rollups.RolledUpCounts;
import io.moescope.storage.runs.RunShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The shape of a run and hard counts c_i per layer of a whole run (optionally one phase), read from the
 * {@code expert_load} rollup (storage's {@link RunShapes} and {@link RolledUpCounts}).
 */
@Component
public class RolledUpLoads {

    private final RunShapes shapes;
    private final RolledUpCounts counts;

    RolledUpLoads(RunShapes shapes, RolledUpCounts counts) {
        this.shapes = shapes;
        this.counts = counts;
    }

    /** N, k and the MoE layers of a run; empty when the run is unknown. */
    public Optional<RunShapes.Shape> shape(String runId) {
        return shapes.of(runId);
    }

    /** One load per layer with routed tokens, in layer order. */
    public List<ExpertLoad> of(String runId, Optional<Phase> phase, int numExperts) {
        var loads = new ArrayList<ExpertLoad>();
        counts.byLayer(runId, phase.map(p -> (short) p.code()).orElse(null), numExperts)
                .forEach((layer, c) -> loads.add(new ExpertLoad(layer, c)));
        return loads;
    }
}
