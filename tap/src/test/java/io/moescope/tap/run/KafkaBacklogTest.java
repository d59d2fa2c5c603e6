package io.moescope.tap.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.DeliveryStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class KafkaBacklogTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(KafkaBacklog.class);
    private final KafkaBacklog backlog = new KafkaBacklog("kafka:9092",
            DeliveryOptions.defaults().withSpoolFile(Path.of("/var/spool/tap.bin")), Duration.ofSeconds(10));

    @BeforeEach
    void capture() {
        logged.start();
        logger.setLevel(Level.INFO);
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void kafkaTakingNoneOfTheWaitingEventsIsSaidOnceAndItsReturnOnce() {
        backlog.check(new DeliveryStats(5, 0, 0));
        backlog.check(new DeliveryStats(5, 0, 3));
        backlog.check(new DeliveryStats(5, 0, 9));
        backlog.check(new DeliveryStats(14, 0, 0));
        backlog.check(new DeliveryStats(20, 0, 0));

        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Kafka at kafka:9092 acknowledged none of the tap's events in the last 10 s; 3 wait, in memory up to "
                        + "48 MiB, beyond that in the spool file /var/spool/tap.bin. The tap goes on forwarding and "
                        + "sends them when Kafka takes them again; a tap killed before then loses those in memory (a "
                        + "tap started again with the same --spool sends those in the file first)",
                "Kafka at kafka:9092 takes the tap's events again; 0 wait");
    }

    @Test
    void eventsWaitingWhileKafkaAcknowledgesOthersAreNoOutage() {
        backlog.check(new DeliveryStats(5, 0, 3));
        backlog.check(new DeliveryStats(9, 0, 4));

        assertThat(logged.list).isEmpty();
    }

    @Test
    void anIdleTapWithNothingWaitingSaysNothing() {
        backlog.check(new DeliveryStats(0, 0, 0));
        backlog.check(new DeliveryStats(0, 0, 0));

        assertThat(logged.list).isEqualTo(List.of());
    }
}
