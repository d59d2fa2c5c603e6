package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;

/** RMSNorm as every supported architecture defines it. */
final class RmsNorm {

    private RmsNorm() {
    }

    /**
     * {@code x / sqrt(mean(x^2) + eps) * weight} over the last axis.
     *
     * @param x      {@code [..., d]}
     * @param weight {@code [d]}
     * @return the shape of {@code x}
     */
    static NDArray apply(NDArray x, NDArray weight, double eps) {
        NDArray inverseRms = x.square().mean(new int[] {-1}, true).add(eps).pow(-0.5);
        return x.mul(inverseRms).mul(weight);
    }
}
