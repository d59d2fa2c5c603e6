package io.moescope.probe.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.DeliveryStats;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away mid-run and comes back: the probe keeps generating, spools, and delivers each event once. */
class BrokerOutageTest {

    @TempDir
    Path dir;

    @Test
    void eventsGeneratedWhileTheBrokerIsDownAreSpooledAndDeliveredExactlyOnceWhenItReturns() throws Exception {
        Path demo = dir.resolve("demo");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        Path spool = dir.resolve("spool.bin");
        var during = new DeliveryStats[1];
        ProbeResult result;
        try (var broker = new RestartableBroker(dir.resolve("kafka"))) {
            broker.start();
            // Tiny buffers (about four demo token events each) so that a short outage overflows into the spool file.
            var options = new DeliveryOptions(512, 512, spool, Duration.ofSeconds(60));
            var sink = new KafkaRoutingSink(broker.bootstrapServers(), ProducerCompression.EXTERNAL_BROKER, Map.of(),
                    options);
            var listener = new ProbeListener() {
                @Override
                public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
                    if (requestId.equals("before")) {
                        awaitSent(sink, promptTokens + generatedTokens + 1);
                        broker.stop();
                    } else if (requestId.equals("during")) {
                        during[0] = sink.stats();
                        broker.start();
                    }
                }
            };
            var request = new ProbeRequest(demo, List.of(new Prompt("before", "broker up"),
                    new Prompt("during", "the broker is down while these tokens are routed"),
                    new Prompt("after", "back again")), 8, "outage");
            try (sink) {
                result = new ProbeRunner(Clock.systemUTC()).run(request, sink, listener);
            }
            assertThat(during[0].spooled()).isPositive();
            // STARTED + every token + the run's workload + FINISHED acknowledged; tokens after the outage may still
            // have been spooled while the sender caught up, to keep their order.
            assertThat(sink.stats().sent()).isEqualTo(result.tokens() + 3);
            assertThat(sink.stats().pending()).isZero();
            assertThat(sink.stats().spooled()).isGreaterThanOrEqualTo(during[0].spooled());
            assertThat(spool).doesNotExist();

            var perRequest = new HashMap<String, List<Integer>>();
            for (byte[] value : broker.consume(Topics.ROUTING, result.tokens())) {
                TokenRouting token = new EventCodec().decodeTokenRouting(value);
                perRequest.computeIfAbsent(token.requestId(), k -> new ArrayList<>()).add(token.tokenIndex());
            }
            assertThat(perRequest.keySet()).containsExactlyInAnyOrder("before", "during", "after");
            for (List<Integer> indices : perRequest.values()) {
                // Every token once, in order: nothing lost, nothing sent twice.
                for (int i = 0; i < indices.size(); i++) {
                    assertThat(indices.get(i)).isEqualTo(i);
                }
            }
            assertThat(perRequest.values().stream().mapToInt(List::size).sum()).isEqualTo(result.tokens());
        }
    }

    /** Waits until the broker acknowledged the first request's tokens and the STARTED event. */
    private static void awaitSent(KafkaRoutingSink sink, long records) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sink.stats().sent() < records && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(sink.stats().sent()).isEqualTo(records);
    }
}
