package io.moescope.analytics.suite;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;

/** The suite tests' run: 4 experts, top-2, layers 0 and 1, composed as the platform composes it from one raw pass. */
final class SuiteOfTokens {

    private SuiteOfTokens() {
    }

    static MetricSuite of(List<TokenRouting> tokens, RequestSeparation separation) {
        return of(tokens, separation, new RoutingJudge(List.of(), "r"));
    }

    static MetricSuite of(List<TokenRouting> tokens, RequestSeparation separation, RoutingJudge judge) {
        SuiteOptions options = SuiteOptions.defaults();
        var pass = new SequencePass(4, 0, options.warmupSettings(4), true, separation);
        tokens.forEach(pass::accept);
        pass.finish();
        return MetricSuite.of("r", "the whole run", 4, 2, pass.loads(), "raw decisions", pass, options.tau(), judge);
    }

    /** Token {@code t} of the run, routed at {@code t} microseconds to {@code topK[0]} at layer 0, {@code topK[1]} at 1. */
    static TokenRouting token(int t, String request, int index, Phase phase, int[][] topK) {
        List<RouterDecision> decisions = List.of(
                new RouterDecision(0, topK[0], new float[] {0.6f, 0.4f}, 1f),
                new RouterDecision(1, topK[1], new float[] {0.6f, 0.4f}, 1f));
        return new TokenRouting("r", request, index, 100 + t, phase, t, decisions);
    }
}
