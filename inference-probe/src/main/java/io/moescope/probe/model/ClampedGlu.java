package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * One gpt-oss expert ({@code GptOssExperts}): {@code gate = min(x Wg + bg, limit)},
 * {@code up = clamp(x Wu + bu, -limit, limit)}, {@code out = ((up + 1) * gate * sigmoid(alpha * gate)) Wd + bd}. The
 * clamps are asymmetric on purpose: the gate is bounded from above only. Gate and up are stored interleaved on disk;
 * {@link GptOssExpertLoader} separates them. Weights are {@code [in, out]} so that {@code x} is every product's
 * receiver.
 *
 * @param gate     {@code [hidden, width]}
 * @param gateBias {@code [width]}
 * @param up       {@code [hidden, width]}
 * @param upBias   {@code [width]}
 * @param down     {@code [width, hidden]}
 * @param downBias {@code [hidden]}
 * @param alpha    {@code swiglu_alpha}
 * @param limit    {@code swiglu_limit}
 */
record ClampedGlu(NDArray gate, NDArray gateBias, NDArray up, NDArray upBias, NDArray down, NDArray downBias,
                  float alpha, float limit) implements Expert {

    @Override
    public NDArray forward(NDArray x) {
        NDArray g = x.matMul(gate).add(gateBias).minimum(limit);
        NDArray u = x.matMul(up).add(upBias).clip(-limit, limit);
        NDArray glu = g.mul(Activation.sigmoid(g.mul(alpha)));
        return u.add(1f).mul(glu).matMul(down).add(downBias);
    }
}
