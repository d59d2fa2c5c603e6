package io.moescope.events;

import java.util.List;
import java.util.Objects;

/**
 * Expert cache accesses of one forward step of one request (expert offloading).
 *
 * @param runId           the run
 * @param requestId       the request
 * @param firstTokenIndex index of the step's first token in the request
 * @param tokens          tokens in the step (the prompt for prefill, 1 for decode)
 * @param timestampMicros when the step finished
 * @param capacity        experts per layer the cache holds
 * @param policy          eviction policy, LRU or LFU
 * @param accesses        every expert use of the step, in order
 */
public record ExpertCacheStep(String runId, String requestId, int firstTokenIndex, int tokens, long timestampMicros,
                              int capacity, String policy, List<Access> accesses) {

    public ExpertCacheStep {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(requestId, "requestId");
        accesses = List.copyOf(accesses);
    }

    /** One expert use: a hit, or a miss with the bytes read, the load time and the expert evicted (-1: none). */
    public record Access(int layer, int expert, boolean hit, long bytesRead, long loadNanos, int evicted) {
    }

    public String kafkaKey() {
        return TokenRouting.kafkaKey(runId, requestId);
    }

    public long misses() {
        return accesses.stream().filter(a -> !a.hit()).count();
    }
}
