package io.moescope.ingest.counts;

import static io.moescope.ingest.support.DeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.events.EventCodec;
import io.moescope.events.ExpertCounts.LayerCounts;
import io.moescope.events.ExpertCounts;
import io.moescope.events.ExpertCountsCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
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
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * moescope.expert-counts to expert_count_step and the rollups with real servers (embedded KRaft broker, PostgreSQL
 * 17): the steps of an aggregate-only run of a model with 4 experts, top-2, MoE layers 1 and 3.
 */
@SpringBootTest(classes = ExpertCountsIngestTest.TestApp.class, properties = {
        "moescope.ingest.retry.initial-interval=100ms", "moescope.ingest.retry.max-interval=400ms"})
class ExpertCountsIngestTest extends IngestServersTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({IngestConfiguration.class, ExpertCountsIngestConfiguration.class})
    static class TestApp {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private static final String DATABASE = TestPostgres.createDatabase("expert_counts_it");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long T0_MICROS = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    private static final ModelIdentity MODEL = new ModelIdentity("tiny-moe", "MixtralForCausalLM", 4, 2, 4,
            List.of(1, 3), 1000, 400);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(DATABASE));
        registry.add("spring.datasource.username", () -> TestPostgres.USER);
    }

    private final ExpertCountsCodec codec = new ExpertCountsCodec();

    /** Step 0: 3 tokens; step 1, 70 s later: 1 token. Every layer's counts sum to tokens x 2. */
    private static List<ExpertCounts> steps(String runId) {
        return List.of(
                new ExpertCounts(runId, 0, Phase.UNKNOWN, T0_MICROS, 3, List.of(
                        new LayerCounts(1, new long[] {3, 2, 1, 0}), new LayerCounts(3, new long[] {0, 0, 3, 3}))),
                new ExpertCounts(runId, 1, Phase.UNKNOWN, T0_MICROS + 70_000_000, 1, List.of(
                        new LayerCounts(1, new long[] {1, 1, 0, 0}), new LayerCounts(3, new long[] {0, 1, 0, 1}))));
    }

    @Test
    void eachStepIsStoredOnceAndAddedOnceToTheRunsLoadAndVolumeAlsoWhenKafkaRedeliversIt() throws Exception {
        started("run-a");
        for (int replay = 0; replay < 2; replay++) {
            for (ExpertCounts step : steps("run-a")) {
                send(step.runId(), codec.encode(step));
            }
        }
        sendLastStepAndAwaitIt("run-a");

        assertThat(count("SELECT count(*) FROM expert_count_step WHERE run_id = 'run-a'")).isEqualTo(3);
        // {3,2,1,0} + {1,1,0,0} + the last step's {0,0,1,1}; {0,0,3,3} + {0,1,0,1} + {1,0,1,0}
        assertThat(jdbc.queryForList("SELECT layer, tokens FROM layer_load WHERE run_id = 'run-a' ORDER BY layer")
                .stream().map(Map::values).map(Object::toString))
                .containsExactly("[1, {4,3,2,1}]", "[3, {1,1,4,4}]");
        assertThat(jdbc.queryForObject("SELECT tokens || ' ' || decisions FROM run_volume WHERE run_id = 'run-a'",
                String.class)).isEqualTo("5 10");
    }

    @Test
    void eachStepCountsInTheMinuteItWasRoutedIn() throws Exception {
        started("run-m");
        for (ExpertCounts step : steps("run-m")) {
            send(step.runId(), codec.encode(step));
        }
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM expert_count_step WHERE run_id = 'run-m'")
                == 2);
        // minute 0: step 0's 3 tokens x top-2 at each layer; minute 1 (70 s later): step 1's 1 token x top-2
        assertThat(jdbc.queryForList("""
                SELECT extract(epoch FROM bucket)::bigint - 1767225600, layer, sum(tokens), min(phase)
                FROM expert_load_minute WHERE run_id = 'run-m' GROUP BY 1, 2 ORDER BY 1, 2""").stream()
                .map(Map::values).map(Object::toString))
                .containsExactly("[0, 1, 6, 2]", "[0, 3, 6, 2]", "[60, 1, 2, 2]", "[60, 3, 2, 2]");
    }

    @Test
    void aStepThatBreaksTheRunsModelIsDeadLetteredWithItsReasonAndTheOthersStored() throws Exception {
        started("run-b");
        List<ExpertCounts> good = steps("run-b");
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        byte[] notTopTwo = codec.encode(new ExpertCounts("run-b", 7, Phase.UNKNOWN, T0_MICROS, 2, List.of(
                new LayerCounts(1, new long[] {1, 1, 1, 0}), new LayerCounts(3, new long[] {1, 1, 1, 1}))));
        byte[] denseLayer = codec.encode(new ExpertCounts("run-b", 8, Phase.UNKNOWN, T0_MICROS, 1, List.of(
                new LayerCounts(2, new long[] {1, 1, 0, 0}))));

        send("run-b", codec.encode(good.get(0)));
        send("run-b", garbage);
        send("run-b", notTopTwo);
        send("run-b", denseLayer);
        send("run-b", codec.encode(good.get(1)));

        assertThat(readDeadLetters("run-b", 3)).extracting(r -> header(r, DeadLetterRecoverer.REASON_HEADER))
                .satisfiesExactly(
                        reason -> assertThat(reason).startsWith("not expert counts"),
                        reason -> assertThat(reason).isEqualTo("expert counts cannot be stored: step 7 layer 1: "
                                + "the counts sum to 3, not 2 tokens x top-2"),
                        reason -> assertThat(reason).isEqualTo("expert counts cannot be stored: step 8 layer 2: "
                                + "the run's model has no router at this layer"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM expert_count_step WHERE run_id = 'run-b'")).isEqualTo(2));
        assertThat(count("SELECT tokens FROM run_volume WHERE run_id = 'run-b'")).isEqualTo(4);
    }

    private void started(String runId) throws Exception {
        producer.send(new ProducerRecord<>(Topics.RUNS, runId, new EventCodec().encode(new RunLifecycle(runId,
                runId, RunStatus.STARTED, T0_MICROS, "import:trtllm-expert-statistic", MODEL, 0))))
                .get(10, TimeUnit.SECONDS);
    }

    /**
     * Step 2 of the run (1 token), sent after everything else and with the same key, hence to the same partition:
     * once it is stored, everything sent before it was consumed.
     */
    private void sendLastStepAndAwaitIt(String runId) throws Exception {
        var last = new ExpertCounts(runId, 2, Phase.UNKNOWN, T0_MICROS, 1, List.of(
                new LayerCounts(1, new long[] {0, 0, 1, 1}), new LayerCounts(3, new long[] {1, 0, 1, 0})));
        send(runId, codec.encode(last));
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM expert_count_step WHERE run_id = '"
                + runId + "' AND step = 2") == 1);
    }

    private void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EXPERT_COUNTS, key, value)).get(10, TimeUnit.SECONDS);
    }

    private long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(String key, int expected) {
        return DeadLetters.read(broker, "expert-counts-dlq-reader", key::equals, expected, PATIENCE);
    }
}
