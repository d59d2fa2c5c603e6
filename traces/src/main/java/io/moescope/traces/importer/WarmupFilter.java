package io.moescope.traces.importer;

import io.moescope.events.RouterDecision;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Detects an engine's warm-up / memory-profiling passes anywhere in a file. A warm-up block is a maximal run of
 * consecutive tokens (in the order they complete) whose decisions (ids and weights at every layer) are all
 * identical, at least two tokens and {@code minDecisions} decisions (tokens x layers) long. Engines profile with one
 * dummy batch at start-up and again whenever they re-profile (a vLLM log of Qwen1.5-MoE holds a second block of
 * 8,192 identical rows after row 9,396), while real routing does not repeat ids and gate weights token after token
 * for a thousand decisions. Block tokens go to {@code out} with {@code warmup = true}, every other token with
 * {@code false}, in the order they came; each block is reported to {@code blocks} where it ends. Memory: at most
 * {@code minDecisions} buffered decisions (a run of identical tokens not yet long enough to call).
 */
final class WarmupFilter {

    /**
     * Where a warm-up block was found.
     *
     * @param firstLine the line of its first row
     * @param lastLine  the line of its last row
     * @param tokens    tokens in the block
     * @param decisions decisions (tokens x layers) in the block
     */
    record Block(long firstLine, long lastLine, long tokens, long decisions) {
    }

    private final int minDecisions;
    private final boolean enabled;
    private final BiConsumer<TokenAssembler.Assembled, Boolean> out;
    private final Consumer<Block> blocks;
    /** The current run of identical tokens while it is not (yet) a block. */
    private final ArrayDeque<TokenAssembler.Assembled> candidates = new ArrayDeque<>();
    private List<RouterDecision> current;
    private long firstLine;
    private long lastLine;
    private long tokens;
    private long decisions;
    private boolean block;

    WarmupFilter(int minDecisions, BiConsumer<TokenAssembler.Assembled, Boolean> out, Consumer<Block> blocks) {
        this(minDecisions, true, out, blocks);
    }

    private WarmupFilter(int minDecisions, boolean enabled, BiConsumer<TokenAssembler.Assembled, Boolean> out,
                         Consumer<Block> blocks) {
        this.minDecisions = minDecisions;
        this.enabled = enabled;
        this.out = out;
        this.blocks = blocks;
    }

    /** Passes every token on as real routing (moescope's own exports: already curated, and must round-trip). */
    static WarmupFilter disabled(BiConsumer<TokenAssembler.Assembled, Boolean> out) {
        return new WarmupFilter(1, false, out, block -> { });
    }

    void accept(TokenAssembler.Assembled token) {
        if (!enabled) {
            out.accept(token, false);
            return;
        }
        if (current == null || !token.decisions().equals(current)) {
            endRun();
            current = token.decisions();
            firstLine = token.firstLine();
        }
        extend(token);
    }

    void finish() {
        endRun();
    }

    private void extend(TokenAssembler.Assembled token) {
        tokens++;
        decisions += token.decisions().size();
        lastLine = token.lastLine();
        if (block) {
            out.accept(token, true);
            return;
        }
        candidates.add(token);
        if (tokens >= 2 && decisions >= minDecisions) {
            block = true;
            release(true);
        }
    }

    private void endRun() {
        if (block) {
            blocks.accept(new Block(firstLine, lastLine, tokens, decisions));
        } else {
            release(false);
        }
        current = null;
        block = false;
        tokens = 0;
        decisions = 0;
    }

    private void release(boolean warmup) {
        while (!candidates.isEmpty()) {
            out.accept(candidates.poll(), warmup);
        }
    }
}
