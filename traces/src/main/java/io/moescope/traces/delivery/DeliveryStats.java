package io.moescope.traces.delivery;

/**
 * Where a sink's records are.
 *
 * @param sent      acknowledged by the broker (acks=all)
 * @param spooled   written to the local spool file so far, because the broker could not keep up or was away
 * @param pending   accepted but not yet acknowledged (in memory, in flight or in the spool)
 */
public record DeliveryStats(long sent, long spooled, long pending) {
}
