package io.moescope.probe.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventCodec;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.traces.delivery.DeliveryException;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that stops while the broker is away keeps its spooled events in the spool file (its close says so); a run
 * started again on that file (a tap or probe restarted with the same {@code --spool}) delivers them before its own.
 * The file used to be emptied when the next run opened it.
 */
class SpoolLeftBehindTest {

    private static final int TOKENS = 40;

    @TempDir
    Path dir;

    @Test
    void eventsSpooledByARunThatStoppedWithoutTheBrokerAreDeliveredByTheNextRunOnTheSameFile() throws Exception {
        Path spool = dir.resolve("spool.bin");
        try (var broker = new RestartableBroker(dir.resolve("kafka"))) {
            long spooled = stopWithoutTheBroker(broker, spool);
            assertThat(spooled).isBetween(1L, (long) TOKENS - 1);

            broker.start();
            var next = new KafkaRoutingSink(broker.bootstrapServers(), ProducerCompression.EXTERNAL_BROKER, Map.of(),
                    new DeliveryOptions(512, 512, spool, Duration.ofSeconds(60)));
            next.token(token("next", 0));
            next.close();

            assertThat(next.stats().sent()).isEqualTo(spooled + 1);
            assertThat(spool).doesNotExist();
            List<String> delivered = new ArrayList<>();
            for (byte[] value : broker.consume(Topics.ROUTING, spooled + 1)) {
                TokenRouting token = new EventCodec().decodeTokenRouting(value);
                delivered.add(token.requestId() + "/" + token.tokenIndex());
            }
            // the stopped run's last tokens, each once and in order (one key: one partition), and the new run's token
            assertThat(delivered).hasSize((int) spooled + 1).contains("next/0");
            assertThat(delivered).filteredOn(t -> t.startsWith("stopped/")).containsExactlyElementsOf(
                    LongStream.range(TOKENS - spooled, TOKENS).mapToObj(i -> "stopped/" + i).toList());
        }
    }

    /** The tap's stop summary counts its own run's tokens; the earlier run's events come apart. */
    @Test
    void theNextRunCountsOnlyItsOwnTokensAsAcknowledgedAndTheEarlierRunsEventsApart() throws Exception {
        Path spool = dir.resolve("spool.bin");
        try (var broker = new RestartableBroker(dir.resolve("kafka"))) {
            long spooled = stopWithoutTheBroker(broker, spool);

            broker.start();
            var next = new KafkaRoutingSink(broker.bootstrapServers(), ProducerCompression.EXTERNAL_BROKER, Map.of(),
                    new DeliveryOptions(512, 512, spool, Duration.ofSeconds(60)));
            next.token(token("next", 0));
            next.token(token("next", 1));
            next.close();

            assertThat(next.tokensAcknowledged()).isEqualTo(2);
            assertThat(next.tokensUnconfirmed()).isZero();
            assertThat(next.earlierRunEventsAcknowledged()).isEqualTo(spooled);
        }
    }

    /**
     * A run of {@value #TOKENS} tokens that stops before the broker was ever started; tiny buffers (a few token events
     * each), so most of its tokens go to the spool file, which its close says keeps them.
     *
     * @return the events it spooled
     */
    private static long stopWithoutTheBroker(RestartableBroker broker, Path spool) {
        var away = new KafkaRoutingSink(broker.bootstrapServers(), ProducerCompression.EXTERNAL_BROKER, Map.of(),
                new DeliveryOptions(512, 512, spool, Duration.ofSeconds(1)));
        for (int i = 0; i < TOKENS; i++) {
            away.token(token("stopped", i));
        }
        assertThatThrownBy(away::close).isInstanceOf(DeliveryException.class)
                .hasMessageContaining("the spool file " + spool + " keeps those that were spooled");
        return away.stats().spooled();
    }

    private static TokenRouting token(String request, int index) {
        return new TokenRouting("run", request, index, 5, Phase.PREFILL, 1L,
                List.of(new RouterDecision(0, new int[] {1, 2}, new float[] {0.6f, 0.4f}, 1.2f)));
    }
}
