package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * A SwiGLU feed-forward {@code down(silu(gate x) * up x)}: one routed expert, a shared expert or a dense layer's MLP.
 * Weights are transposed views so that {@code x} is the receiver of every product.
 *
 * @param gate {@code [hidden, width]}
 * @param up   {@code [hidden, width]}
 * @param down {@code [width, hidden]}
 */
record SwiGlu(NDArray gate, NDArray up, NDArray down) implements Expert {

    /**
     * @param x {@code [rows, hidden]}
     * @return {@code [rows, hidden]}
     */
    @Override
    public NDArray forward(NDArray x) {
        NDArray g = x.matMul(gate);
        NDArray silu = g.mul(Activation.sigmoid(g));
        return silu.mul(x.matMul(up)).matMul(down);
    }
}
