package io.moescope.tap;

import io.moescope.events.TokenRouting;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Tokens as one line each, for exact comparisons in the tap's tests. */
public final class Tokens {

    private Tokens() {
    }

    /** "request#position PHASE tokenId layer:[ids] ..." per token, sorted by request then position. */
    public static List<String> described(List<TokenRouting> tokens) {
        return tokens.stream().sorted(Comparator.comparing(TokenRouting::requestId)
                        .thenComparingInt(TokenRouting::tokenIndex))
                .map(t -> t.requestId() + "#" + t.tokenIndex() + " " + t.phase() + " " + t.tokenId() + " "
                        + t.decisions().stream().map(d -> d.layer() + ":" + Arrays.toString(d.expertIds()))
                        .collect(Collectors.joining(" ")))
                .toList();
    }
}
