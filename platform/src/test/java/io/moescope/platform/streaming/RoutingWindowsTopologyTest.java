package io.moescope.platform.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.events.EventCodec;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The streaming windows, driven record by record through Kafka Streams' own test driver (the real topology, its
 * repartition by run and its window store): one-second tumbling buckets per run and layer, from which
 * {@link WindowedLoads} sums any sliding window. The platform tests (AlertsTest) run the same topology on the
 * embedded broker.
 */
class RoutingWindowsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final WindowedLoads loads = new WindowedLoads();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** What this class and Kafka Streams' window aggregation log, attached before the topology runs. */
    private final ListAppender<ILoggingEvent> logged = capture(LateRecords.class.getName(),
            "org.apache.kafka.streams.kstream.internals");
    private final TopologyTestDriver driver = new TopologyTestDriver(RoutingWindowsTopology.build(
            Duration.ofSeconds(1), Duration.ofSeconds(5), loads, new LateRecords(meters)), properties());
    private final TestInputTopic<String, byte[]> routing = driver.createInputTopic(Topics.ROUTING,
            new StringSerializer(), new ByteArraySerializer());
    private final EventCodec codec = new EventCodec();

    @AfterEach
    void close() {
        driver.close();
        for (String name : List.of(LateRecords.class.getName(), "org.apache.kafka.streams.kstream.internals")) {
            ((Logger) LoggerFactory.getLogger(name)).detachAppender(logged);
        }
    }

    @Test
    void tokensOfOneBucketAreCountedPerLayer() {
        send("a", T0.plusMillis(200), new int[] {0, 1}, new int[] {2, 3});
        send("a", T0.plusMillis(700), new int[] {1, 3}, new int[] {2, 0});

        assertThat(counts("a", T0)).containsExactly(new long[] {1, 2, 0, 1}, new long[] {1, 0, 2, 1});
    }

    @Test
    void aSlidingWindowSumsOnlyTheBucketsStartingInIt() {
        send("a", T0.plusMillis(500), new int[] {0, 1}, new int[] {0, 1});
        send("a", T0.plusMillis(1500), new int[] {2, 3}, new int[] {2, 3});
        send("a", T0.plusMillis(2500), new int[] {0, 3}, new int[] {0, 3});

        assertThat(counts("a", T0)).as("three buckets").containsExactly(new long[] {2, 1, 1, 2},
                new long[] {2, 1, 1, 2});
        assertThat(counts("a", T0.plusSeconds(1))).as("the last two buckets").containsExactly(
                new long[] {1, 0, 1, 2}, new long[] {1, 0, 1, 2});
    }

    @Test
    void eachRunHasItsOwnBuckets() {
        send("a", T0.plusMillis(100), new int[] {0, 1}, new int[] {0, 1});
        send("b", T0.plusMillis(200), new int[] {1, 2}, new int[] {1, 2});

        assertThat(loads.runs()).containsExactly("a", "b");
        assertThat(counts("a", T0)).containsExactly(new long[] {1, 1}, new long[] {1, 1});
        assertThat(counts("b", T0)).containsExactly(new long[] {0, 1, 1}, new long[] {0, 1, 1});
    }

    @Test
    void anUndecodableRecordIsLeftOutAndTheStreamGoesOn() {
        routing.pipeInput("junk", new byte[] {1, 2, 3}, T0.plusMillis(100));
        send("a", T0.plusMillis(200), new int[] {0, 1}, new int[] {0, 1});

        assertThat(counts("a", T0)).containsExactly(new long[] {1, 1}, new long[] {1, 1});
    }

    @Test
    void aTokenWhoseBucketClosedIsCountedAsLateAndLeftOutOfTheWindows() {
        send("a", T0.plusSeconds(10), new int[] {0, 1}, new int[] {0, 1});
        // bucket [0 s, 1 s) closed at 1 s + 5 s grace, before the stream time of 10 s
        send("a", T0.plusMillis(200), new int[] {2, 3}, new int[] {2, 3});

        assertThat(lateRecords()).isEqualTo(1.0);
        assertThat(counts("a", T0)).containsExactly(new long[] {1, 1}, new long[] {1, 1});
    }

    @Test
    void aTokenWithinItsBucketsGraceIsStillCounted() {
        send("a", T0.plusMillis(5_500), new int[] {0, 1}, new int[] {0, 1});
        // bucket [0 s, 1 s) stays open until 6 s
        send("a", T0.plusMillis(200), new int[] {2, 3}, new int[] {2, 3});

        assertThat(lateRecords()).isZero();
        assertThat(counts("a", T0)).containsExactly(new long[] {1, 1, 1, 1}, new long[] {1, 1, 1, 1});
    }

    @Test
    void lateTokensAreReportedInOneInfoLinePerRunAndNoWarningPerRecord() {
        send("a", T0.plusSeconds(60), new int[] {0, 1}, new int[] {0, 1});
        for (int i = 0; i < 3; i++) {
            send("a", T0.plusSeconds(i), new int[] {0, 1}, new int[] {0, 1});
        }
        send("b", T0.plusSeconds(61), new int[] {0, 1}, new int[] {0, 1});
        for (int i = 0; i < 2; i++) {
            send("b", T0.plusSeconds(i), new int[] {0, 1}, new int[] {0, 1});
        }

        assertThat(lateRecords()).isEqualTo(5.0);
        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.INFO);
        assertThat(logged.list.get(0).getFormattedMessage()).startsWith("Run a sends tokens older than the "
                + "streaming windows keep (first one 60000 ms behind the stream time");
        assertThat(logged.list.get(1).getFormattedMessage()).startsWith("Run b sends tokens older");
    }

    private double lateRecords() {
        return meters.get(LateRecords.METER).tag("reason", LateRecords.WINDOW_CLOSED).counter().count();
    }

    private static ListAppender<ILoggingEvent> capture(String... loggers) {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        for (String name : loggers) {
            var logger = (Logger) LoggerFactory.getLogger(name);
            logger.setLevel(Level.INFO);
            logger.addAppender(appender);
        }
        return appender;
    }

    /** One token of run {@code run} routed at {@code time}: layer 0 to {@code layer0}, layer 1 to {@code layer1}. */
    private void send(String run, Instant time, int[] layer0, int[] layer1) {
        var token = new TokenRouting(run, "req", 0, 7, Phase.DECODE, 0L,
                List.of(new RouterDecision(0, layer0, new float[] {0.5f, 0.5f}, Float.NaN),
                        new RouterDecision(1, layer1, new float[] {0.5f, 0.5f}, Float.NaN)));
        routing.pipeInput(run + "/req", codec.encode(token), time);
    }

    private List<long[]> counts(String run, Instant from) {
        return loads.loads(run, from).stream().map(ExpertLoad::counts).toList();
    }

    private static Properties properties() {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "routing-windows-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // every bucket update reaches WindowedLoads at once, as the platform's short commit interval makes it
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return props;
    }
}
