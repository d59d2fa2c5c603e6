package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** The feed-forward half of a decoder layer: a router over experts, or a plain MLP in a dense layer. */
sealed interface FeedForward {

    /** A layer without a router (Qwen-MoE {@code mlp_only_layers} / {@code decoder_sparse_step}). */
    record Dense(SwiGlu mlp) implements FeedForward {
    }

    /**
     * A sparse MoE block.
     *
     * @param router       {@code [hidden, experts]}
     * @param experts      the routed experts, by id
     * @param shared       Qwen2-MoE's always-active expert, or null
     * @param sharedGate   {@code [hidden, 1]}: the sigmoid of {@code x . sharedGate} scales the shared expert; null
     *                     when there is none
     */
    record Sparse(NDArray router, List<SwiGlu> experts, SwiGlu shared, NDArray sharedGate) implements FeedForward {

        public Sparse {
            experts = List.copyOf(experts);
        }
    }
}
