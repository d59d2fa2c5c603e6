package io.moescope.analytics.warmup;

/**
 * Eviction policy of an expert cache: the simulated one of the warm-up analysis and the probe's live one under expert
 * offloading, both kept by {@link OnlineCache} for LRU and LFU (mixtral-offloading, Eliseev &amp; Mazur 2023,
 * arXiv:2312.17238, uses LRU; LFU and Belady are the comparison docs/metrics.md describes). Only the simulation runs
 * {@link #BELADY}: it needs the future accesses.
 */
public enum CachePolicy {
    /** Evict the expert used least recently. */
    LRU,
    /**
     * Evict the resident expert with the fewest uses so far in the whole sequence (uses before an eviction still
     * count: "perfect" LFU), the least recently used among equals.
     */
    LFU,
    /**
     * Belady's MIN: evict the resident expert whose next use lies farthest in the future (never = infinitely far;
     * the lowest id among equals). Offline, needs the whole sequence; no policy can do better, so it is the upper
     * bound of the hit rate for a given cache size.
     */
    BELADY
}
