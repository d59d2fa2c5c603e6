package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.traces.routing.RouterRule;
import java.util.Arrays;

/**
 * The sparse MoE block of every supported architecture: router softmax over N experts in the engine, then top-k and
 * weights by the one softmax-top-k rule ({@link RouterMath}), and the SwiGLU experts run only on the tokens routed to
 * them; plus, in Qwen2-MoE, the shared expert every token goes through, scaled by
 * {@code sigmoid(x . shared_expert_gate)}. DeepSeek's router logits (float32, as transformers computes them) go to its
 * {@link RouterRule} instead, and its shared experts are added ungated.
 */
final class MoeBlock {

    private final int experts;
    private final int topK;
    private final boolean renormalise;
    /** DeepSeek's rule, which starts from the logits; null for the softmax-top-k architectures. */
    private final RouterRule rule;

    MoeBlock(MoeConfig config) {
        this.experts = config.numExperts();
        this.topK = config.topK();
        this.renormalise = config.normTopKProb();
        this.rule = config.deepseek() == null ? null : config.deepseek().router();
    }

    /** The block's output and the routing it applied. */
    record Output(NDArray hidden, LayerRouting routing) {
    }

    /**
     * @param x       {@code [tokens, hidden]} the normalised hidden states of the step
     * @param capture whether the routing is captured (then it carries each token's entropy)
     * @return output {@code [tokens, hidden]} and the routing it applied
     */
    Output forward(NDManager step, NDArray x, FeedForward.Sparse w, int layer, boolean capture) {
        int tokens = (int) x.getShape().get(0);
        // The one copy out of the engine for this layer and step: [tokens, experts] probabilities, or the logits
        // where the rule scores them itself.
        LayerRouting routing = rule == null
                ? RouterMath.route(layer, x.matMul(w.router()).softmax(-1).toFloatArray(), tokens, experts, topK,
                        renormalise, capture)
                : RouterMath.route(layer, x.matMul(w.router()).toFloatArray(), tokens, rule, w.correctionBias(),
                        capture);
        NDArray routed = tokens == 1 ? single(x, w, routing) : batched(step, x, w, routing);
        if (w.shared() != null) {
            NDArray shared = w.shared().forward(x);
            routed = routed.add(w.sharedGate() == null ? shared
                    : shared.mul(Activation.sigmoid(x.matMul(w.sharedGate()))));
        }
        return new Output(routed, routing);
    }

    /**
     * Prefill: groups the tokens' (token, rank) assignments by expert, so each expert runs once on a gathered batch.
     *
     * @param x {@code [tokens, hidden]}
     * @return {@code [tokens, hidden]}
     */
    private NDArray batched(NDManager step, NDArray x, FeedForward.Sparse w, LayerRouting routing) {
        int tokens = routing.tokens();

        int assignments = tokens * topK;
        int[] counts = new int[experts];
        for (int id : routing.expertIds()) {
            counts[id]++;
        }
        int[] start = new int[experts + 1];
        for (int e = 0; e < experts; e++) {
            start[e + 1] = start[e] + counts[e];
        }
        int[] fill = start.clone();
        long[] sortedTokens = new long[assignments];
        float[] sortedWeights = new float[assignments];
        long[] slotOfAssignment = new long[assignments];
        for (int a = 0; a < assignments; a++) {
            int slot = fill[routing.expertIds()[a]]++;
            sortedTokens[slot] = a / topK;
            sortedWeights[slot] = routing.weights()[a];
            slotOfAssignment[a] = slot;
        }
        var outputs = new NDList();
        for (int e = 0; e < experts; e++) {
            if (counts[e] > 0) {
                long[] rows = Arrays.copyOfRange(sortedTokens, start[e], start[e + 1]);
                NDArray xe = x.get(new NDIndex("{}", step.create(rows)));
                outputs.add(w.experts().get(e).forward(xe));
            }
        }
        NDArray weighted = NDArrays.concat(outputs)
                .mul(step.create(sortedWeights, new Shape(assignments, 1)));
        // Back to (token, rank) order, then sum each token's k expert outputs.
        return weighted.get(new NDIndex("{}", step.create(slotOfAssignment)))
                .reshape(tokens, topK, -1).sum(new int[] {1});
    }

    /**
     * Decode steps have one token: run its k experts directly, without gathering and scattering rows.
     *
     * @param x {@code [1, hidden]}
     * @return {@code [1, hidden]}
     */
    private static NDArray single(NDArray x, FeedForward.Sparse w, LayerRouting routing) {
        NDArray sum = null;
        for (int r = 0; r < routing.topK(); r++) {
            NDArray out = w.experts().get(routing.expertIds()[r]).forward(x).mul(routing.weights()[r]);
            sum = sum == null ? out : sum.add(out);
        }
        return sum;
    }
}
