package io.moescope.probe.model;

/** Which resident expert an {@link ExpertCache} evicts to make room. */
public enum CachePolicy {
    /** The least recently used one (mixtral-offloading's policy). */
    LRU,
    /**
     * The least frequently used one, counting every use in the run (also while not resident); ties go to the least
     * recently used.
     */
    LFU
}
