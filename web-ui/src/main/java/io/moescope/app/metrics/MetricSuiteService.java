package io.moescope.app.metrics;

import io.moescope.analytics.collapse.CollapseThresholds;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.locality.ModelConsistency;
import io.moescope.analytics.locality.RoutingConsistency;
import io.moescope.analytics.model.ModelLoadSummary;
import io.moescope.analytics.warmup.WarmupAccumulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The whole metric suite of a token set. Counts come from the {@code expert_load} rollup when it covers the set
 * exactly (a whole run, or one phase of it), from the raw decisions otherwise; sequence-based metrics (routing
 * consistency, warm-up, co-activation, vocabulary) always stream the raw decisions once, in constant memory.
 */
@Service
public class MetricSuiteService {

    private final RolledUpLoads rollups;
    private final RoutingRows rows;

    MetricSuiteService(RolledUpLoads rollups, RoutingRows rows) {
        this.rollups = rollups;
        this.rows = rows;
    }

    /** @return empty when the run is unknown */
    public Optional<MetricSuite> suite(TokenSet set, SuiteOptions options) {
        return rollups.shape(set.runId()).map(shape -> compute(set, options, shape));
    }

    private MetricSuite compute(TokenSet set, SuiteOptions options, RolledUpLoads.RunShape shape) {
        int n = shape.numExperts();
        int detailLayer = options.detailLayer().orElse(shape.firstMoeLayer());
        int cache = options.cache().orElse(Math.max(1, n / 2));
        var warmupSettings = new WarmupAccumulator.Settings(n, cache, WarmupAccumulator.Settings.doublingCapacities(n),
                options.window(), SuiteOptions.SETTLING_TOLERANCE, SuiteOptions.STABILISATION_JSD,
                SuiteOptions.MAX_CURVE_TOKENS);
        boolean fromRollups = set.coveredByRollups();
        var pass = new SequencePass(n, detailLayer, warmupSettings, !fromRollups);
        rows.forEach(set, pass);
        pass.finish();

        List<ExpertLoad> loads = fromRollups ? rollups.of(set.runId(), set.phase(), n) : pass.loads();
        CollapseThresholds thresholds = options.thresholds();
        Map<Integer, RoutingConsistency> consistency = pass.consistencyByLayer();
        var layers = new ArrayList<LayerSuite>(loads.size());
        var nonEmpty = new ArrayList<ExpertLoad>(loads.size());
        for (ExpertLoad load : loads) {
            if (load.total() == 0) {
                continue;
            }
            nonEmpty.add(load);
            RoutingConsistency c = consistency.get(load.layer());
            layers.add(LayerSuite.of(load, thresholds, c == null
                    ? Defined.undefined("no consecutive token pair (t, t+1) of one request at this layer")
                    : Defined.of(LayerSuite.Consistency.of(c))));
        }
        Defined<ModelLoadSummary> model = nonEmpty.isEmpty()
                ? Defined.undefined("no routed token in " + set.describe())
                : Defined.of(ModelLoadSummary.of(nonEmpty, thresholds));
        return new MetricSuite(set.runId(), set.describe(), n, shape.topK(), layers, pass.tokens(),
                fromRollups ? "expert_load rollup" : "raw decisions (token_routing)", model, detailLayer,
                pass.warmup(), pass.coActivation(n), pass.vocabulary(),
                Defined.compute(() -> ModelConsistency.of(List.copyOf(consistency.values()))));
    }
}
