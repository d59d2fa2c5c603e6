package io.moescope.ingest.support;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;

/** Token routings whose experts follow a simple rule, so tests can work out the rollups by hand. */
public final class Tokens {

    /** 2024-01-01T00:00:00Z in microseconds since the epoch. */
    public static final long T0_MICROS = 1_704_067_200_000_000L;

    private Tokens() {
    }

    /**
     * Token {@code index} of a request: at every layer {@code l} of {@code layers}, top-2 experts
     * {@code (index + l) % experts} and {@code (index + l + 1) % experts}, weights 0.75 and 0.25, entropy 1.5;
     * routed {@code index} milliseconds after {@link #T0_MICROS}.
     */
    public static TokenRouting token(String runId, String requestId, int index, Phase phase, int layers,
                                     int experts) {
        var decisions = new ArrayList<RouterDecision>(layers);
        for (int l = 0; l < layers; l++) {
            decisions.add(new RouterDecision(l, new int[] {(index + l) % experts, (index + l + 1) % experts},
                    new float[] {0.75f, 0.25f}, 1.5f));
        }
        return new TokenRouting(runId, requestId, index, 1000 + index, phase, T0_MICROS + index * 1000L, decisions);
    }

    /** Tokens 0 .. count-1 of a request, all prefill. */
    public static List<TokenRouting> request(String runId, String requestId, int count, int layers, int experts) {
        var tokens = new ArrayList<TokenRouting>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(token(runId, requestId, i, Phase.PREFILL, layers, experts));
        }
        return tokens;
    }
}
