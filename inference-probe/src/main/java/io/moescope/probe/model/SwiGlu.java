package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * A SwiGLU feed-forward {@code down(silu(gate x) * up x)}: one routed expert, a shared expert or a dense layer's MLP.
 * Weights are transposed views so that {@code x} is the receiver of every product.
 *
 * @param gate     {@code [hidden, width]}
 * @param up       {@code [hidden, width]}
 * @param down     {@code [width, hidden]}
 * @param gateBias {@code [width]} or null; the three biases are there together (DeepSeek-V2's {@code mlp_bias}) or
 *                 not at all
 * @param upBias   {@code [width]} or null
 * @param downBias {@code [hidden]} or null
 */
record SwiGlu(NDArray gate, NDArray up, NDArray down, NDArray gateBias, NDArray upBias, NDArray downBias)
        implements Expert {

    /** Without biases: every expert and MLP but DeepSeek-V2's with {@code mlp_bias}. */
    SwiGlu(NDArray gate, NDArray up, NDArray down) {
        this(gate, up, down, null, null, null);
    }

    /**
     * @param x {@code [rows, hidden]}
     * @return {@code [rows, hidden]}
     */
    @Override
    public NDArray forward(NDArray x) {
        if (gateBias != null) {
            NDArray g = x.matMul(gate).add(gateBias);
            return g.mul(Activation.sigmoid(g)).mul(x.matMul(up).add(upBias)).matMul(down).add(downBias);
        }
        NDArray g = x.matMul(gate);
        NDArray silu = g.mul(Activation.sigmoid(g));
        return silu.mul(x.matMul(up)).matMul(down);
    }
}
