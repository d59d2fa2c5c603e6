package io.moescope.ingest.expertcache;

import static io.moescope.ingest.support.DeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.events.ExpertCacheCodec;
import io.moescope.events.ExpertCacheStep.Access;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.Topics;
import io.moescope.ingest.consumer.DeadLetterRecoverer;
import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.ingest.support.DeadLetters;
import io.moescope.ingest.support.IngestServersTest;
import io.moescope.ingest.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** moescope.expert-cache to expert_cache_access with real servers: embedded KRaft broker, PostgreSQL 17. */
@SpringBootTest(classes = ExpertCacheIngestTest.TestApp.class, properties = {
        "moescope.ingest.retry.initial-interval=100ms", "moescope.ingest.retry.max-interval=400ms"})
class ExpertCacheIngestTest extends IngestServersTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({IngestConfiguration.class, ExpertCacheIngestConfiguration.class})
    static class TestApp {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private static final String DATABASE = TestPostgres.createDatabase("expert_cache_it");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long T0_MICROS = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(DATABASE));
        registry.add("spring.datasource.username", () -> TestPostgres.USER);
    }

    @Autowired
    private MeterRegistry meters;

    private final ExpertCacheCodec codec = new ExpertCacheCodec();

    /** Prefill of 3 tokens (experts 0, 1 of layer 0 missed), then a decode step hitting 1 and missing 2. */
    private static List<ExpertCacheStep> request(String runId) {
        return List.of(
                new ExpertCacheStep(runId, "req-1", 0, 3, T0_MICROS, 2, "LRU", List.of(
                        new Access(0, 0, false, 4096, 1_500_000, -1), new Access(0, 1, false, 4096, 1_200_000, -1))),
                new ExpertCacheStep(runId, "req-1", 3, 1, T0_MICROS + 1000, 2, "LRU", List.of(
                        new Access(0, 1, true, 0, 0, -1), new Access(0, 2, false, 4096, 900_000, 0))));
    }

    @Test
    void storesEveryAccessWithItsStepAndAReplayInsertsNothingTwice() throws Exception {
        for (int replay = 0; replay < 2; replay++) {
            for (ExpertCacheStep step : request("run-a")) {
                send(step.kafkaKey(), codec.encode(step));
            }
        }
        // same key, so the same partition: once the marker is stored, everything sent before it was consumed
        String marker = "run-a-done";
        send(request("run-a").get(0).kafkaKey(), codec.encode(request(marker).get(0)));
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM expert_cache_access WHERE run_id = '"
                + marker + "'") == 2);

        assertThat(jdbc.queryForList("""
                SELECT token_index, step_tokens, layer, expert, access_order, hit, bytes_read, load_nanos, evicted
                FROM expert_cache_access WHERE run_id = 'run-a' ORDER BY token_index, access_order""").stream()
                .map(Map::values).map(Object::toString))
                .containsExactly("[0, 3, 0, 0, 0, false, 4096, 1500000, null]",
                        "[0, 3, 0, 1, 1, false, 4096, 1200000, null]",
                        "[3, 1, 0, 1, 0, true, 0, 0, null]",
                        "[3, 1, 0, 2, 1, false, 4096, 900000, 0]");
        assertThat(jdbc.queryForObject("SELECT extract(epoch FROM min(stepped_at))::bigint || ' ' || min(policy) "
                + "|| ' ' || min(capacity) FROM expert_cache_access WHERE run_id = 'run-a'", String.class))
                .isEqualTo("1767225600 LRU 2");
    }

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonAndCountedAndTheValidOnesStored() throws Exception {
        double before = deadLetters();
        List<ExpertCacheStep> steps = request("run-b");
        String key = steps.get(0).kafkaKey();
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        byte[] negativeBytes = codec.encode(new ExpertCacheStep("run-b", "req-1", 7, 1, T0_MICROS, 2, "LRU",
                List.of(new Access(0, 3, false, -1, 10, -1))));

        send(key, codec.encode(steps.get(0)));
        send(key, garbage);
        send(key, negativeBytes);
        send(key, codec.encode(steps.get(1)));

        List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(key, 2);
        assertThat(dead).extracting(r -> header(r, DeadLetterRecoverer.REASON_HEADER)).satisfiesExactly(
                reason -> assertThat(reason).startsWith("not an expert cache step"),
                reason -> assertThat(reason).isEqualTo("expert cache step cannot be stored: layer 0 expert 3: "
                        + "negative bytes read or load time"));
        assertThat(dead).extracting(r -> header(r, "kafka_dlt-original-topic")).containsOnly(Topics.EXPERT_CACHE);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM expert_cache_access WHERE run_id = 'run-b'")).isEqualTo(4));
        assertThat(deadLetters() - before).isEqualTo(2.0);
    }

    private void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EXPERT_CACHE, key, value)).get(10, TimeUnit.SECONDS);
    }

    private long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private double deadLetters() {
        Counter counter = meters.find(DeadLetterRecoverer.COUNTER).tag("topic", Topics.EXPERT_CACHE).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(String key, int expected) {
        return DeadLetters.read(broker, "expert-cache-dlq-reader", key::equals, expected, PATIENCE);
    }
}
