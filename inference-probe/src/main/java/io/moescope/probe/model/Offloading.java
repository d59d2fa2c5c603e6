package io.moescope.probe.model;

import io.moescope.analytics.warmup.CachePolicy;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Expert offloading settings for {@link MoeModel#load(io.moescope.probe.checkpoint.MoeCheckpoint, Offloading)}.
 *
 * @param capacity experts per layer kept on the engine
 * @param policy   which one to evict; one of {@link #LIVE_POLICIES}
 * @param listener told about every expert access (hit or miss with bytes and load time)
 */
public record Offloading(int capacity, CachePolicy policy, Consumer<ExpertAccess> listener) {

    /**
     * The policies a live cache can run: each decides from the accesses so far. Belady's MIN needs the future
     * accesses, which only the warm-up analysis of a finished run has.
     */
    public static final List<CachePolicy> LIVE_POLICIES = List.of(CachePolicy.LRU, CachePolicy.LFU);

    public Offloading {
        if (capacity < 1) {
            throw new IllegalArgumentException("--expert-cache must be at least 1 but is " + capacity);
        }
        requireLive(policy);
    }

    /** @return {@code policy}, refused with a message naming the live ones when it is not one of them */
    public static CachePolicy requireLive(CachePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (!LIVE_POLICIES.contains(policy)) {
            throw new IllegalArgumentException("--cache-policy " + policy + " needs the whole sequence in advance; "
                    + "the probe's live cache supports "
                    + String.join(", ", LIVE_POLICIES.stream().map(CachePolicy::name).toList()));
        }
        return policy;
    }
}
