package io.moescope.probe.model;

/**
 * One use of a routed expert under offloading.
 *
 * @param layer     decoder layer
 * @param expert    expert id
 * @param hit       whether it was resident
 * @param bytesRead bytes read from the checkpoint to materialise it (0 on a hit)
 * @param loadNanos time to read and materialise it on the engine (0 on a hit)
 * @param evicted   the expert evicted to make room, or -1
 */
public record ExpertAccess(int layer, int expert, boolean hit, long bytesRead, long loadNanos, int evicted) {
}
