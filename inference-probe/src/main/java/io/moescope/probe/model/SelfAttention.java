package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;

/** The attention half of a decoder layer: grouped-query {@link Attention} or DeepSeek's {@link LatentAttention}. */
interface SelfAttention {

    /**
     * @param x    {@code [tokens, hidden]} the normalised hidden states of the step
     * @param cos  {@code [tokens, rotaryDim]} rotary cosines of the step's positions
     * @param sin  {@code [tokens, rotaryDim]} rotary sines
     * @param mask {@code [tokens, cached + tokens]} additive causal mask, or null for a single token
     * @return {@code [tokens, hidden]} the attention output after the o projection
     */
    NDArray forward(NDArray x, LayerWeights w, int layer, KvCache cache, Rope rope, NDArray cos, NDArray sin,
                    NDArray mask);
}
