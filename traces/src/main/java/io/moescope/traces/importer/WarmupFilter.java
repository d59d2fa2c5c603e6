package io.moescope.traces.importer;

import io.moescope.events.RouterDecision;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Detects an engine's warm-up / memory-profiling passes: a file that starts with a run of tokens whose decisions
 * (ids and weights at every layer) are all identical, {@code minDecisions} decisions or more. Such tokens go to
 * {@code out} with {@code warmup = true}; every other token with {@code false}. Only the start of a file is checked:
 * identical decisions later on are real routing. Memory: at most {@code minDecisions} buffered decisions.
 */
final class WarmupFilter {

    private final int minDecisions;
    private final BiConsumer<TokenAssembler.Assembled, Boolean> out;
    private final ArrayDeque<TokenAssembler.Assembled> candidates = new ArrayDeque<>();
    private List<RouterDecision> first;
    private long candidateDecisions;
    private State state = State.START;

    private enum State { START, WARMUP, DONE }

    WarmupFilter(int minDecisions, BiConsumer<TokenAssembler.Assembled, Boolean> out) {
        this.minDecisions = minDecisions;
        this.out = out;
    }

    /** Passes every token on as real routing (moescope's own exports: already curated, and must round-trip). */
    static WarmupFilter disabled(BiConsumer<TokenAssembler.Assembled, Boolean> out) {
        var filter = new WarmupFilter(1, out);
        filter.state = State.DONE;
        return filter;
    }

    void accept(TokenAssembler.Assembled token) {
        switch (state) {
            case DONE -> out.accept(token, false);
            case WARMUP -> {
                if (token.decisions().equals(first)) {
                    out.accept(token, true);
                } else {
                    state = State.DONE;
                    out.accept(token, false);
                }
            }
            case START -> start(token);
        }
    }

    void finish() {
        release(false);
    }

    private void start(TokenAssembler.Assembled token) {
        if (first == null || token.decisions().equals(first)) {
            first = first == null ? token.decisions() : first;
            candidates.add(token);
            candidateDecisions += token.decisions().size();
            if (candidateDecisions >= minDecisions) {
                state = State.WARMUP;
                release(true);
            }
            return;
        }
        state = State.DONE;
        release(false);
        out.accept(token, false);
    }

    private void release(boolean warmup) {
        while (!candidates.isEmpty()) {
            out.accept(candidates.poll(), warmup);
        }
    }
}
