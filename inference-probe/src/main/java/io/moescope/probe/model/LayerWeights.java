package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights on the engine. Linear weights are kept as transposed views ({@code [in, out]}) so that
 * every projection is {@code x.matMul(w)}: the step's activation is the receiver and the result lands in the step's
 * manager, never in the model's. Optional parts are null where the architecture has none.
 *
 * @param inputNorm {@code [hidden]}
 * @param q         {@code [hidden, heads * headDim]}
 * @param k         {@code [hidden, kvHeads * headDim]}
 * @param v         {@code [hidden, kvHeads * headDim]}
 * @param o         {@code [heads * headDim, hidden]}
 * @param qBias     {@code [heads * headDim]} or null
 * @param kBias     {@code [kvHeads * headDim]} or null
 * @param vBias     {@code [kvHeads * headDim]} or null
 * @param oBias     {@code [hidden]} or null
 * @param qNorm     {@code [heads * headDim]} (OLMoE) or {@code [headDim]} (Qwen3-MoE) or null
 * @param kNorm     {@code [kvHeads * headDim]} (OLMoE) or {@code [headDim]} (Qwen3-MoE) or null
 * @param sinks     gpt-oss's sink logits, {@code [kvHeads, groups, 1, 1]} (head {@code h} at
 *                  {@code [h / groups, h % groups]}), or null
 * @param postNorm  {@code [hidden]}
 * @param ffn       the layer's router and experts, or its dense MLP
 */
record LayerWeights(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray o, NDArray qBias, NDArray kBias,
                    NDArray vBias, NDArray oBias, NDArray qNorm, NDArray kNorm, NDArray sinks, NDArray postNorm,
                    FeedForward ffn) {
}
