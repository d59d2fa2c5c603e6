package io.moescope.platform.metrics;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.SequencePass;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.alerts.AlertRules;
import io.moescope.storage.runs.RunShapes;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The whole metric suite of a token set. Counts come from the {@code expert_load} rollup when it covers the set
 * exactly (a whole run, or one phase of it), from the raw decisions otherwise; sequence-based metrics (routing
 * consistency, warm-up, co-activation, vocabulary) always stream the raw decisions once, in constant memory. Each
 * layer's verdict is the enabled alert rules' ({@link RoutingJudge}), as on the scorecards. A run stored as one whose
 * requests cannot be told apart gets routing consistency and warm-up as undefined with its reason. Every load figure
 * carries its sample size and a 95 % interval, bootstrapped over requests (blocks of tokens where requests cannot be
 * told apart) from the same raw pass, or over the steps of an aggregate-only run (one whose source counted choices
 * without recording tokens).
 */
@Service
public class MetricSuiteService {

    private final RolledUpLoads rollups;
    private final RoutingRows rows;
    private final AlertRules alertRules;

    MetricSuiteService(RolledUpLoads rollups, RoutingRows rows, AlertRules alertRules) {
        this.rollups = rollups;
        this.rows = rows;
        this.alertRules = alertRules;
    }

    /**
     * @return empty when the run is unknown
     * @throws IllegalArgumentException when an option is out of the run's bounds (before any decision is read)
     */
    public Optional<MetricSuite> suite(TokenSet set, SuiteOptions options) {
        return rollups.shape(set.runId()).map(shape -> {
            options.checkAgainst(shape.numExperts(), shape.moeLayers());
            return compute(set, options, shape);
        });
    }

    private MetricSuite compute(TokenSet set, SuiteOptions options, RunShapes.Shape shape) {
        int n = shape.numExperts();
        boolean fromRollups = set.coveredByRollups();
        var pass = new SequencePass(n, options.detailLayer().orElse(shape.firstMoeLayer()), options.warmupSettings(n),
                !fromRollups, RequestSeparation.of(shape.requestsNotSeparable()));
        // an aggregate-only run has steps of counts instead of tokens: the units its intervals resample
        rows.forEach(set, pass, pass::acceptStep);
        pass.finish();
        List<ExpertLoad> loads = fromRollups ? rollups.of(set.runId(), set.phase(), n) : pass.loads();
        return MetricSuite.of(set.runId(), set.describe(), n, shape.topK(), loads,
                fromRollups ? "expert_load rollup" : "raw decisions (token_routing)", pass, options.tau(),
                new RoutingJudge(alertRules.rules(), set.runId()));
    }
}
