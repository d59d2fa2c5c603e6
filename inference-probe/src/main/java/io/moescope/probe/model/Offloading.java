package io.moescope.probe.model;

import java.util.function.Consumer;

/**
 * Expert offloading settings for {@link MoeModel#load(io.moescope.probe.checkpoint.MoeCheckpoint, Offloading)}.
 *
 * @param capacity experts per layer kept on the engine
 * @param policy   which one to evict
 * @param listener told about every expert access (hit or miss with bytes and load time)
 */
public record Offloading(int capacity, CachePolicy policy, Consumer<ExpertAccess> listener) {

    public Offloading {
        if (capacity < 1) {
            throw new IllegalArgumentException("--expert-cache must be at least 1 but is " + capacity);
        }
    }
}
