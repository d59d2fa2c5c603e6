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
     * @param router         {@code [hidden, experts]}
     * @param routerBias     {@code [experts]} added to the logits (gpt-oss), or null
     * @param experts        the routed experts, by id: resident, or loaded on demand through an {@link ExpertCache}
     * @param shared         the always-active expert (Qwen2-MoE's, DeepSeek's shared experts as one MLP), or null
     * @param sharedGate     {@code [hidden, 1]}: the sigmoid of {@code x . sharedGate} scales Qwen2-MoE's shared
     *                       expert; null when there is none or it is not gated (DeepSeek)
     * @param correctionBias {@code [experts]} DeepSeek-V3's {@code e_score_correction_bias}, which only chooses; null
     *                       elsewhere
     */
    record Sparse(NDArray router, NDArray routerBias, Experts experts, SwiGlu shared, NDArray sharedGate,
                  float[] correctionBias) implements FeedForward {
    }

    /** A layer's routed experts by id. */
    @FunctionalInterface
    interface Experts {

        /** Expert {@code e}, ready to run until the next call (a cache may evict it then). */
        Expert get(int e);

        static Experts resident(List<? extends Expert> experts) {
            List<Expert> copy = List.copyOf(experts);
            return copy::get;
        }
    }
}
