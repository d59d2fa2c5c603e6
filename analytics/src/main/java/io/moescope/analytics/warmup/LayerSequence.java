package io.moescope.analytics.warmup;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Extracts one layer's top-k sequence from the tokens of one request, the input of the warm-up simulations. */
public final class LayerSequence {

    private LayerSequence() {
    }

    /**
     * @param tokens tokens of one request (any order; sorted here by token index)
     * @param layer  the layer to extract; tokens without a decision for it are skipped
     * @return top-k expert ids per token, {@code [tokens][k]}
     */
    public static List<int[]> of(List<TokenRouting> tokens, int layer) {
        var sorted = new ArrayList<>(tokens);
        sorted.sort(Comparator.comparingInt(TokenRouting::tokenIndex));
        var sequence = new ArrayList<int[]>(sorted.size());
        for (TokenRouting token : sorted) {
            for (RouterDecision decision : token.decisions()) {
                if (decision.layer() == layer) {
                    sequence.add(decision.expertIds().clone());
                }
            }
        }
        return sequence;
    }
}
