package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;

/** One feed-forward network the router can send tokens to: a {@link SwiGlu} or gpt-oss's {@link ClampedGlu}. */
interface Expert {

    /**
     * @param x {@code [rows, hidden]}
     * @return {@code [rows, hidden]}
     */
    NDArray forward(NDArray x);
}
