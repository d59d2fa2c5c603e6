package io.moescope.analytics.evidence;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.Arrays;
import java.util.List;

/** Tokens routed at layer 0 only, for the resampling specifications. */
final class Tokens {

    private Tokens() {
    }

    /** Token {@code t} of {@code request}, routed to {@code experts} at layer 0. */
    static TokenRouting token(String request, int t, int... experts) {
        float[] weights = new float[experts.length];
        Arrays.fill(weights, 1f / experts.length);
        return new TokenRouting("r", request, t, 100 + t, Phase.DECODE, t,
                List.of(RouterDecision.withoutEntropy(0, experts, weights)));
    }
}
