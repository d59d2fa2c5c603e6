package io.moescope.traces.importer;

import io.moescope.events.ExpertCounts;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RecordingSink;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps what an import sent, in order (a {@link RecordingSink}), and describes its tokens for comparisons. */
final class CollectingSink extends RecordingSink {

    /**
     * "request#index PHASE l0:[ids] l1:[ids]" per token, sorted by request then index, then "step#s PHASE t token(s)
     * l0:[counts] l1:[counts]" per step of an aggregate-only trace, in order.
     */
    List<String> described() {
        var described = new java.util.ArrayList<>(tokens.stream()
                .sorted(java.util.Comparator.comparing(TokenRouting::requestId)
                        .thenComparingInt(TokenRouting::tokenIndex))
                .map(CollectingSink::describe).toList());
        countSteps.forEach(step -> described.add(describe(step)));
        return described;
    }

    static String describe(ExpertCounts step) {
        return "step#" + step.step() + " " + step.phase() + " " + step.tokens() + " token(s) " + step.layers().stream()
                .map(l -> l.layer() + ":" + java.util.Arrays.toString(l.counts()))
                .collect(Collectors.joining(" "));
    }

    static String describe(TokenRouting t) {
        return t.requestId() + "#" + t.tokenIndex() + " " + t.phase() + " " + t.decisions().stream()
                .map(d -> d.layer() + ":" + java.util.Arrays.toString(d.expertIds()))
                .collect(Collectors.joining(" "));
    }
}
