package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One decoder layer's weights on the engine. Linear weights are kept as transposed views ({@code [in, out]}) so that
 * every projection is {@code x.matMul(w)}: the step's activation is the receiver and the result lands in the step's
 * manager, never in the model's.
 *
 * @param inputNorm  {@code [hidden]}
 * @param q          {@code [hidden, heads * headDim]}
 * @param k          {@code [hidden, kvHeads * headDim]}
 * @param v          {@code [hidden, kvHeads * headDim]}
 * @param o          {@code [heads * headDim, hidden]}
 * @param postNorm   {@code [hidden]}
 * @param router     {@code [hidden, experts]}
 * @param expertGate per expert {@code [hidden, intermediate]} (Mixtral's w1)
 * @param expertUp   per expert {@code [hidden, intermediate]} (w3)
 * @param expertDown per expert {@code [intermediate, hidden]} (w2)
 */
record LayerWeights(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray o, NDArray postNorm, NDArray router,
                    List<NDArray> expertGate, List<NDArray> expertUp, List<NDArray> expertDown) {
}
