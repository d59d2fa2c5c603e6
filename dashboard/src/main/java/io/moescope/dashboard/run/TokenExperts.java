package io.moescope.dashboard.run;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The token view's model (Mixtral paper, Figure 8): each token of a request with the expert that ranked first for
 * it at one layer, and its text where the run recorded one (probe runs do; imported traces carry ids only).
 */
public final class TokenExperts {

    /** 20 distinguishable colours (Tableau 20); expert e gets colour e mod 20. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8",
        "#fabfd2", "#d7b5a6", "#79706e"};

    /**
     * @param firstChoice the expert ranked first at the layer, or -1 when the token has no decision there
     * @param gateWeight  the router's weight of that expert, NaN without a decision
     * @param text        the token's text, or null when the run recorded none for its id
     */
    public record Token(String requestId, int tokenIndex, int tokenId, int firstChoice, float gateWeight,
                        String text) {
    }

    private TokenExperts() {
    }

    /** @param texts token id to text; ids without one show as ids */
    public static List<Token> at(List<TokenRouting> tokens, int layer, Map<Integer, String> texts) {
        var result = new ArrayList<Token>(tokens.size());
        for (TokenRouting token : tokens) {
            int first = -1;
            float weight = Float.NaN;
            for (RouterDecision decision : token.decisions()) {
                if (decision.layer() == layer && decision.expertIds().length > 0) {
                    // RouterDecision keeps the top-k highest weight first.
                    first = decision.expertIds()[0];
                    weight = decision.weights()[0];
                }
            }
            result.add(new Token(token.requestId(), token.tokenIndex(), token.tokenId(), first, weight,
                    texts.get(token.tokenId())));
        }
        return result;
    }

    public static String colour(int expert) {
        return expert < 0 ? "#ffffff" : PALETTE[expert % PALETTE.length];
    }
}
