package io.moescope.probe.importer;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.RoutingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps what an import sent, in order; a real in-memory sink. */
final class CollectingSink implements RoutingSink {

    final List<RunLifecycle> runs = new ArrayList<>();
    final List<TokenRouting> tokens = new ArrayList<>();

    @Override
    public void runStarted(RunLifecycle run) {
        runs.add(run);
    }

    @Override
    public void token(TokenRouting token) {
        tokens.add(token);
    }

    @Override
    public void runFinished(RunLifecycle run) {
        runs.add(run);
    }

    @Override
    public void close() {
    }

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
