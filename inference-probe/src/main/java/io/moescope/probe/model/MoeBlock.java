package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.moescope.traces.routing.RouterRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The sparse MoE block of every supported architecture: router logits (with gpt-oss's bias) in the engine, then top-k
 * and weights by the architecture's {@link RouterRule} ({@link RouterMath}: softmax-top-k, gpt-oss's
 * top-k-then-softmax, DeepSeek's sigmoid or softmax scores with correction bias and group limits), and the experts run
 * only on the tokens routed to them; plus the shared experts: in Qwen2-MoE scaled by
 * {@code sigmoid(x . shared_expert_gate)}, in DeepSeek added ungated.
 *
 * <p>A decode step's k experts are independent products on one row each, which the engine's BLAS runs on one thread
 * whatever the intra-op count (measured: a {@code [1, 1024] x [1024, 2816]} product takes the same CPU and wall time
 * with 2 intra-op threads as with 1). With {@code decodeWorkers}, the calling thread and those workers run the k
 * experts side by side, one Java thread each, and their outputs are summed in rank order as before, so the result is
 * the same to the bit.
 */
final class MoeBlock {

    private final RouterRule rule;
    private final int experts;
    private final int topK;
    /** Threads that run a decode step's experts beside the calling thread, or null: all on the calling thread. */
    private final ExecutorService decodeWorkers;
    private final int lanes;

    /**
     * @param decodeWorkers  null, or threads for a decode step's experts (the model's, which shuts them down)
     * @param workerCount    how many threads {@code decodeWorkers} has; 0 when null
     */
    MoeBlock(RouterRule rule, ExecutorService decodeWorkers, int workerCount) {
        this.rule = rule;
        this.experts = rule.numExperts();
        this.topK = rule.topK();
        this.decodeWorkers = decodeWorkers;
        this.lanes = decodeWorkers == null ? 1 : workerCount + 1;
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
        NDArray logits = x.matMul(w.router());
        if (w.routerBias() != null) {
            logits = logits.add(w.routerBias());
        }
        // The one copy out of the engine for this layer and step: [tokens, experts] scores or logits.
        float[] values = (RouterMath.engineScores(rule) ? logits.softmax(-1) : logits).toFloatArray();
        LayerRouting routing = RouterMath.route(layer, values, tokens, rule, w.correctionBias(), capture);
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
     * Decode steps have one token: run its k experts directly, without gathering and scattering rows; with workers,
     * rank {@code r} on lane {@code r % lanes} (lane 0 the calling thread).
     *
     * @param x {@code [1, hidden]}
     * @return {@code [1, hidden]}
     */
    private NDArray single(NDArray x, FeedForward.Sparse w, LayerRouting routing) {
        int k = routing.topK();
        NDArray[] outs = new NDArray[k];
        int used = Math.min(lanes, k);
        List<Future<?>> others = new ArrayList<>(used - 1);
        for (int lane = 1; lane < used; lane++) {
            int first = lane;
            others.add(decodeWorkers.submit(() -> runLane(x, w, routing, first, used, outs)));
        }
        RuntimeException failure = null;
        try {
            runLane(x, w, routing, 0, used, outs);
        } catch (RuntimeException e) {
            failure = e;
        }
        // every lane is joined before the step's manager can close under it
        for (Future<?> other : others) {
            try {
                join(other);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        NDArray sum = outs[0];
        for (int r = 1; r < k; r++) {
            sum = sum.add(outs[r]);
        }
        return sum;
    }

    /** The weighted outputs of ranks {@code first, first + step, ...} into {@code outs}. */
    private static void runLane(NDArray x, FeedForward.Sparse w, LayerRouting routing, int first, int step,
                                NDArray[] outs) {
        for (int r = first; r < outs.length; r += step) {
            outs[r] = w.experts().get(routing.expertIds()[r]).forward(x).mul(routing.weights()[r]);
        }
    }

    private static void join(Future<?> lane) {
        try {
            lane.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a decode step's experts ran", e);
        }
    }
}
