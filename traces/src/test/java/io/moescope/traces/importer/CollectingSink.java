package io.moescope.traces.importer;

import io.moescope.events.TokenRouting;
import io.moescope.traces.RecordingSink;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps what an import sent, in order (a {@link RecordingSink}), and describes its tokens for comparisons. */
final class CollectingSink extends RecordingSink {

    /** "request#index PHASE l0:[ids] l1:[ids]" per token, sorted by request then index. */
    List<String> described() {
        return tokens.stream()
                .sorted(java.util.Comparator.comparing(TokenRouting::requestId)
                        .thenComparingInt(TokenRouting::tokenIndex))
                .map(CollectingSink::describe).toList();
    }

    static String describe(TokenRouting t) {
        return t.requestId() + "#" + t.tokenIndex() + " " + t.phase() + " " + t.decisions().stream()
                .map(d -> d.layer() + ":" + java.util.Arrays.toString(d.expertIds()))
                .collect(Collectors.joining(" "));
    }
}
