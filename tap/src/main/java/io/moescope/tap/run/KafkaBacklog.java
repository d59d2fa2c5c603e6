package io.moescope.tap.run;

import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.DeliveryStats;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when Kafka stops taking a live tap's events, and when it takes them again. The tap goes on forwarding while its
 * events wait (in memory, then in the spool file), and the Kafka client's own reconnect lines are kept quiet, so
 * without this an outage would show only as the dashboard falling silent. Checked once per progress report, by one
 * thread.
 */
public final class KafkaBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBacklog.class);
    private static final long MIB = 1024 * 1024;

    private final String bootstrapServers;
    private final DeliveryOptions delivery;
    private final Duration interval;
    private long sent;
    private boolean stalled;

    /** @param interval the time between two {@link #check}s */
    public KafkaBacklog(String bootstrapServers, DeliveryOptions delivery, Duration interval) {
        this.bootstrapServers = bootstrapServers;
        this.delivery = delivery;
        this.interval = interval;
    }

    /**
     * Kafka is taken to be away when events wait and it acknowledged none since the previous check (the tap's own
     * progress report is one such event every interval, so an idle tap's outage is found too).
     */
    public void check(DeliveryStats now) {
        boolean acknowledged = now.sent() > sent;
        sent = now.sent();
        if (!stalled && !acknowledged && now.pending() > 0) {
            stalled = true;
            LOG.warn("Kafka at {} acknowledged none of the tap's events in the last {} s; {} wait, in memory up to {} "
                    + "MiB, beyond that in the spool file {}. The tap goes on forwarding and sends them when Kafka "
                    + "takes them again; a tap killed before then loses those in memory (a tap started again with the "
                    + "same --spool sends those in the file first)", bootstrapServers, interval.toSeconds(),
                    now.pending(), (delivery.queueBytes() + delivery.inFlightBytes()) / MIB, delivery.spoolFile());
        } else if (stalled && acknowledged) {
            stalled = false;
            LOG.info("Kafka at {} takes the tap's events again; {} wait", bootstrapServers, now.pending());
        }
    }
}
