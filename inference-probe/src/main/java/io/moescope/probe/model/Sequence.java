package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.SlidingWindow;
import java.util.ArrayList;

/**
 * One request's state in a {@link MoeModel}: its KV cache and the next position. Each {@link #forward} call is
 * one step (the whole prompt for prefill, one token per decode step); its temporaries live in a sub-manager that is
 * closed when the step returns, so native memory grows only by the cache.
 */
public final class Sequence implements AutoCloseable {

    private final MoeModel model;
    private final KvCache cache;

    Sequence(MoeModel model, KvCache cache) {
        this.model = model;
        this.cache = cache;
    }

    /** Tokens processed so far: the position the next token takes. */
    public int length() {
        return cache.length();
    }

    /** {@link #forward(int[], boolean)} with capture: the routing carries each token's entropy. */
    public ForwardResult forward(int[] tokenIds) {
        return forward(tokenIds, true);
    }

    /**
     * Runs the decoder over {@code tokenIds} at the next positions, appending them to the cache. Arguments are
     * checked before the engine runs; if the engine itself fails mid-step, the cache is left inconsistent and the
     * sequence must be closed. Capture is chosen per step, so that one sequence can alternate captured and
     * uncaptured steps (the capture bench compares neighbouring steps); the logits, and so the tokens, are the same
     * either way.
     *
     * @param capture whether the step's routing is captured: with it, the entropy over the full softmax; without,
     *                only the ids and weights the dispatch needs
     * @return the routing of every token at every MoE layer (without entropy when not captured) and the logits
     *         after the last token
     */
    public ForwardResult forward(int[] tokenIds, boolean capture) {
        MoeConfig config = model.config();
        if (tokenIds.length == 0) {
            throw new IllegalArgumentException("a forward step needs at least one token");
        }
        if (cache.length() + tokenIds.length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence would reach " + (cache.length() + tokenIds.length)
                    + " tokens, more than max_position_embeddings " + config.maxPositionEmbeddings());
        }
        for (int id : tokenIds) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                        + config.vocabSize());
            }
        }
        int tokens = tokenIds.length;
        int start = cache.length();
        ModelWeights w = model.weights();
        try (NDManager step = model.manager().newSubManager()) {
            long[] ids = new long[tokens];
            for (int t = 0; t < tokens; t++) {
                ids[t] = tokenIds[t];
            }
            NDArray hidden = w.embedding().get(step, new NDIndex("{}", step.create(ids)));
            NDArray cos = model.rope().table(step, start, tokens, false);
            NDArray sin = model.rope().table(step, start, tokens, true);
            NDArray causal = Attention.mask(step, start, tokens, Integer.MAX_VALUE);
            SlidingWindow window = config.slidingWindow();
            NDArray sliding = window.layers().isEmpty() ? null : Attention.mask(step, start, tokens, window.size());
            var routings = new ArrayList<LayerRouting>(config.moeLayers().size());
            for (int l = 0; l < config.numLayers(); l++) {
                LayerWeights lw = w.layers().get(l);
                NDArray attended = model.attention().forward(rmsNorm(hidden, lw.inputNorm()), lw, l, cache,
                        model.rope(), cos, sin, window.slides(l) ? sliding : causal);
                hidden = hidden.add(attended);
                NDArray x = rmsNorm(hidden, lw.postNorm());
                if (lw.ffn() instanceof FeedForward.Sparse sparse) {
                    MoeBlock.Output moe = model.moe().forward(step, x, sparse, l, capture);
                    hidden = hidden.add(moe.hidden());
                    routings.add(moe.routing());
                } else {
                    // A dense layer makes no routing decision, so it adds nothing to the capture.
                    hidden = hidden.add(((FeedForward.Dense) lw.ffn()).mlp().forward(x));
                }
            }
            cache.advance(tokens);
            NDArray last = rmsNorm(hidden.get(tokens - 1).reshape(1, -1), w.finalNorm());
            float[] logits = last.matMul(w.lmHead()).toFloatArray();
            return new ForwardResult(tokens, routings, logits);
        }
    }

    /**
     * @param x      {@code [tokens, hidden]}
     * @param weight {@code [hidden]}
     * @return {@code [tokens, hidden]}
     */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        return RmsNorm.apply(x, weight, model.config().rmsNormEps());
    }

    @Override
    public void close() {
        cache.close();
    }
}
