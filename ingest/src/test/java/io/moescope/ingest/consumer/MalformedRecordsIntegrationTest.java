package io.moescope.ingest.consumer;

import static io.moescope.ingest.support.DeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.events.EventCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.ingest.support.IngestTestApp;
import io.moescope.ingest.support.Malformed;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.ingest.support.Tokens;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A valid stream with 1000 malformed records of every kind mixed in, on the real broker and database: every bad
 * record ends in the dead-letter topic with its reason, every valid one is stored exactly once, and the consumer
 * keeps running.
 */
@SpringBootTest(classes = IngestTestApp.class, properties = {
        "moescope.ingest.retry.initial-interval=100ms",
        "moescope.ingest.retry.max-interval=400ms",
        "moescope.ingest.validation.unknown-run-grace=500ms"})
@EmbeddedKafka(kraft = true, partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = "group.initial.rebalance.delay.ms=0")
class MalformedRecordsIntegrationTest {

    private static final String DATABASE = TestPostgres.createDatabase("malformed_it");
    private static final int LAYERS = 4;
    private static final int EXPERTS = 8;
    private static final ModelIdentity MODEL = new ModelIdentity("tiny-moe", "MixtralForCausalLM", EXPERTS, 2, LAYERS,
            List.of(0, 1, 2, 3), 1_000_000L, 400_000L);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(DATABASE));
        registry.add("spring.datasource.username", () -> TestPostgres.USER);
    }

    @Autowired
    private EmbeddedKafkaBroker broker;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private final EventCodec codec = new EventCodec();

    @Test
    void deadLettersAThousandMalformedRecordsOfEveryKindWithTheirReasonAndStoresEveryValidOne() throws Exception {
        int requests = 20;
        int tokensPerRequest = 500;
        int malformed = 1000;
        List<Malformed.Kind> kinds = Malformed.kinds(LAYERS, EXPERTS);
        var random = new Random(7);
        var expectedReasons = new TreeMap<String, Integer>();

        try (Producer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.RUNS, "run-m", codec.encode(new RunLifecycle("run-m", "bad mix",
                    RunStatus.STARTED, Tokens.T0_MICROS, "probe", MODEL, 0)))).get(10, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM run WHERE run_id = 'run-m'") == 1);

            int bad = 0;
            for (int i = 0; i < tokensPerRequest; i++) {
                for (int r = 0; r < requests; r++) {
                    TokenRouting token = Tokens.token("run-m", "req-" + r, i, io.moescope.events.Phase.PREFILL,
                            LAYERS, EXPERTS);
                    producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)));
                    if ((i * requests + r) % 10 == 9 && bad < malformed) {
                        Malformed.Kind kind = kinds.get(bad++ % kinds.size());
                        producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(),
                                kind.maker().make(token, random)));
                        expectedReasons.merge(kind.reason(), 1, Integer::sum);
                    }
                }
            }
            producer.flush();
            assertThat(bad).isEqualTo(malformed);
        }

        List<ConsumerRecord<String, byte[]>> deadLettered = readDeadLetters("run-m/", malformed);
        var reasons = new TreeMap<String, Integer>();
        var sources = new HashSet<String>();
        for (ConsumerRecord<String, byte[]> record : deadLettered) {
            assertThat(header(record, DeadLetterRecoverer.REASON_HEADER)).isNotBlank();
            assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.ROUTING);
            reasons.merge(header(record, DeadLetterRecoverer.KIND_HEADER), 1, Integer::sum);
            sources.add(ByteBuffer.wrap(record.headers().lastHeader("kafka_dlt-original-partition").value()).getInt()
                    + "@" + ByteBuffer.wrap(record.headers().lastHeader("kafka_dlt-original-offset").value()).getLong());
        }
        assertThat(deadLettered).hasSize(malformed);
        assertThat(sources).hasSize(malformed); // each bad record once, none twice
        assertThat(reasons).isEqualTo(expectedReasons);
        assertThat(deadLetters()).isEqualTo(malformed);

        long valid = (long) requests * tokensPerRequest;
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-m'")).isEqualTo(valid));
        assertThat(count("SELECT tokens FROM run_volume WHERE run_id = 'run-m'")).isEqualTo(valid);
        assertThat(count("SELECT sum(tokens) FROM expert_load WHERE run_id = 'run-m'")).isEqualTo(valid * LAYERS * 2);

        // Still consuming.
        assertThat(listeners.getListenerContainer("moescope-ingest-routing").isRunning()).isTrue();
        try (Producer<String, byte[]> producer = producer()) {
            for (TokenRouting token : Tokens.request("run-m", "req-after", 10, LAYERS, EXPERTS)) {
                producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)));
            }
        }
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-m'"))
                        .isEqualTo(valid + 10));
    }

    private Producer<String, byte[]> producer() {
        return new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(),
                new ByteArraySerializer());
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(String keyPrefix, int expected) {
        Map<String, Object> props = KafkaTestUtils.consumerProps("dlq-reader-malformed", "false", broker);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var found = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ROUTING_DEAD_LETTER));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        found.add(r);
                    }
                });
                return found.size() >= expected;
            });
            // Nothing more than expected arrives.
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                if (r.key() != null && r.key().startsWith(keyPrefix)) {
                    found.add(r);
                }
            });
        }
        return found;
    }

    private long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private double deadLetters() {
        return meters.find(DeadLetterRecoverer.COUNTER).tag("topic", Topics.ROUTING).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

}
