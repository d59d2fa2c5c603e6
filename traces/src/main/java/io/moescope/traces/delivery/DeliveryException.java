package io.moescope.traces.delivery;

/**
 * Kafka did not acknowledge every record a {@link KafkaRoutingSink} accepted: a send failed, or the broker was away
 * for longer than the close timeout. {@code tokensAcknowledged} routing records did reach the topic.
 */
public final class DeliveryException extends IllegalStateException {

    private final String reason;
    private final transient DeliveryStats stats;
    private final long tokensAcknowledged;

    /**
     * @param reason    why, without what became of the records
     * @param spoolNote what the spool file keeps, appended to the message; empty when nothing was spooled
     */
    DeliveryException(String reason, String spoolNote, DeliveryStats stats, long tokensAcknowledged,
                      Throwable cause) {
        super(reason + spoolNote, cause);
        this.reason = reason;
        this.stats = stats;
        this.tokensAcknowledged = tokensAcknowledged;
    }

    /** Why delivery stopped, without the spool file: for a caller that has the run's source and drops the spool. */
    public String reason() {
        return reason;
    }

    /** Where the records were when delivery gave up. */
    public DeliveryStats stats() {
        return stats;
    }

    /** Records on the routing topic (one per token) that the broker acknowledged. */
    public long tokensAcknowledged() {
        return tokensAcknowledged;
    }
}
