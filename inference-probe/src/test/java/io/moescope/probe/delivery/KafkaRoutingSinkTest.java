package io.moescope.probe.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventCodec;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
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
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

class KafkaRoutingSinkTest {

    private static final EventCodec CODEC = new EventCodec();

    @TempDir
    static Path demo;

    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        broker = new EmbeddedKafkaKraftBroker(1, 2, Topics.ROUTING, Topics.RUNS);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void aProbeRunSendsOneDecodableRecordPerTokenKeyedByRunAndRequest() {
        var request = new ProbeRequest(demo, List.of(new Prompt("req-1", "Hello Kafka"), new Prompt("req-2", "MoE")),
                4, "kafka run");
        ProbeResult result;
        try (var sink = new KafkaRoutingSink(broker.getBrokersAsString())) {
            result = new ProbeRunner(Clock.systemUTC()).run(request, sink, ProbeListener.NONE);
        }

        List<ConsumerRecord<String, byte[]>> routing = consume(Topics.ROUTING, result.tokens());
        assertThat(routing).hasSize((int) result.tokens());
        assertThat(result.tokens()).isEqualTo(result.promptTokens() + result.generatedTokens())
                .isEqualTo(12 + 4 + 4 + 4);
        var perRequest = new java.util.HashMap<String, List<TokenRouting>>();
        for (ConsumerRecord<String, byte[]> record : routing) {
            TokenRouting token = CODEC.decodeTokenRouting(record.value());
            assertThat(record.key()).isEqualTo(result.runId() + "/" + token.requestId());
            assertThat(token.decisions()).extracting(RouterDecision::layer).containsExactly(0, 1, 2, 3);
            perRequest.computeIfAbsent(token.requestId(), k -> new ArrayList<>()).add(token);
        }
        // One key per request, so each request's tokens arrive in order.
        assertThat(perRequest.get("req-1")).extracting(TokenRouting::tokenIndex)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(perRequest.get("req-2")).extracting(TokenRouting::phase).containsExactly(Phase.PREFILL,
                Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.DECODE, Phase.DECODE, Phase.DECODE, Phase.DECODE);

        List<RunLifecycle> runs = consume(Topics.RUNS, 2).stream()
                .filter(r -> r.key().equals(result.runId()))
                .map(r -> CODEC.decodeRunLifecycle(r.value())).toList();
        assertThat(runs).extracting(RunLifecycle::status).containsExactly(RunStatus.STARTED, RunStatus.FINISHED);
        assertThat(runs.get(1).tokens()).isEqualTo(result.tokens());
        assertThat(runs.get(1).model().numExperts()).isEqualTo(8);
    }

    @Test
    void requireReachablePassesForARunningBroker() {
        KafkaRoutingSink.requireReachable(broker.getBrokersAsString(), Duration.ofSeconds(10));
    }

    @Test
    void requireReachableNamesTheServersWhenNoBrokerAnswers() throws Exception {
        String servers = "localhost:" + freePort();
        assertThatThrownBy(() -> KafkaRoutingSink.requireReachable(servers, Duration.ofMillis(500)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Kafka at " + servers + " is unreachable: ");
    }

    @Test
    void closeRethrowsASendFailure() {
        // a record above the producer's max.request.size on the routing topic: a failure that retrying cannot fix
        // (an unreachable broker is not one: its records wait, MetadataWaitTest)
        String servers = broker.getBrokersAsString();
        var sink = new KafkaRoutingSink(servers, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32));
        sink.token(new TokenRouting("run", "req", 0, 5, Phase.PREFILL, 1L,
                List.of(new RouterDecision(0, new int[] {1, 2}, new float[] {0.6f, 0.4f}, 1.2f))));
        assertThatThrownBy(sink::close).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("sending routing events to Kafka at " + servers + " failed: ");
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, long expected) {
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var records = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            // Assigned partitions, no consumer group: nothing to wait for but the records.
            consumer.assign(consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // A short extra poll: more records than expected would be a bug too.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
