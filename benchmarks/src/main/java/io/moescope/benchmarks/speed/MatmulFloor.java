package io.moescope.benchmarks.speed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.model.MoeModel;
import java.util.Optional;

/**
 * The floor a forward step is measured against: only its matrix multiplications, the weight-sized ones, done bare in
 * the same engine with the same thread count, on weights of the same shapes and layout as the probe's (transposed
 * views of row-major {@code [out, in]}): per layer q, k, v, o and the router on every token, each routed expert's
 * gate, up and down on the rows routed to it (with the
 * elementwise product that joins gate and up), the shared expert or a dense layer's MLP; then the LM head on the last
 * token. Nothing else: no norms, rotary, attention scores, softmax, routing, gathering or scattering, and no JNI
 * bookkeeping beyond one call per product. The step's {@code tokens x topK} expert rows are spread evenly over the
 * experts (a real step's uneven spread costs about the same: each expert's product costs reading its weights once
 * plus a share per row).
 *
 * <p>Weights are random and one layer's worth, used by every layer: reading them from memory is what the small-row
 * products cost, and one layer of a real model is already far beyond the processor's caches (the 591M Mixtral's
 * experts are 277 MB a layer). A model small enough for one layer to fit in the caches gets a floor that is too low.
 */
final class MatmulFloor implements AutoCloseable {

    private final MoeConfig config;
    private final NDManager manager;
    private final NDArray q;
    private final NDArray k;
    private final NDArray v;
    private final NDArray o;
    private final NDArray router;
    private final NDArray[][] experts;
    private final NDArray[] shared;
    private final NDArray[] dense;
    private final NDArray lmHead;

    private MatmulFloor(MoeConfig c) {
        this.config = c;
        this.manager = NDManager.newBaseManager(MoeModel.ENGINE);
        int h = c.hiddenSize();
        int attention = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        this.q = linear(h, attention);
        this.k = linear(h, kv);
        this.v = linear(h, kv);
        this.o = linear(attention, h);
        this.router = linear(h, c.numExperts());
        this.experts = new NDArray[c.numExperts()][];
        for (int e = 0; e < experts.length; e++) {
            experts[e] = mlp(c.intermediateSize());
        }
        this.shared = c.sharedExpertSize() > 0 ? mlp(c.sharedExpertSize()) : null;
        this.dense = c.moeLayers().size() < c.numLayers() ? mlp(c.denseIntermediateSize()) : null;
        this.lmHead = linear(h, c.vocabSize());
    }

    /** The floor of {@code config}'s steps, or empty for DeepSeek's latent attention, whose products differ. */
    static Optional<MatmulFloor> of(MoeConfig config) {
        return config.deepseek() != null ? Optional.empty() : Optional.of(new MatmulFloor(config));
    }

    /** Times the products of one forward step over {@code tokens} tokens. */
    StepTime step(int tokens) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(tokens, config.hiddenSize()));
            NDArray attended = step.randomNormal(new Shape(tokens, (long) config.numHeads() * config.headDim()));
            NDArray last = x.get("-1:");
            return StepTime.of(() -> {
                for (int l = 0; l < config.numLayers(); l++) {
                    x.matMul(q);
                    x.matMul(k);
                    x.matMul(v);
                    attended.matMul(o);
                    if (config.isMoeLayer(l)) {
                        x.matMul(router);
                        routed(x, tokens);
                        if (shared != null) {
                            run(shared, x);
                        }
                    } else {
                        run(dense, x);
                    }
                }
                last.matMul(lmHead).toFloatArray();
            });
        }
    }

    /** Each expert's products on its even share of the step's {@code tokens x topK} rows. */
    private void routed(NDArray x, int tokens) {
        int rows = tokens * config.topK();
        int used = Math.min(rows, config.numExperts());
        for (int e = 0; e < used; e++) {
            int share = rows / used + (e < rows % used ? 1 : 0);
            // a token goes to an expert once, so a share is at most the step's tokens; a slice stands for the rows
            // the probe gathers
            run(experts[e], x.get("0:" + share));
        }
    }

    private static void run(NDArray[] mlp, NDArray x) {
        x.matMul(mlp[0]).mul(x.matMul(mlp[1])).matMul(mlp[2]);
    }

    /** gate, up {@code [hidden, width]} and down {@code [width, hidden]}. */
    private NDArray[] mlp(int width) {
        int h = config.hiddenSize();
        return new NDArray[] {linear(h, width), linear(h, width), linear(width, h)};
    }

    /** {@code [in, out]} as the probe holds it: the transposed view of a row-major {@code [out, in]}. */
    private NDArray linear(int in, int out) {
        return manager.randomNormal(new Shape(out, in)).transpose();
    }

    @Override
    public void close() {
        manager.close();
    }
}
