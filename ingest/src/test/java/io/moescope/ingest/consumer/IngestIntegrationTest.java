package io.moescope.ingest.consumer;

import static io.moescope.ingest.support.DeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.events.EventCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.RunWorkload;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.events.WorkloadCodec;
import io.moescope.ingest.support.Database;
import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.DeadLetters;
import io.moescope.ingest.support.IngestServersTest;
import io.moescope.ingest.support.IngestTestApp;
import io.moescope.ingest.support.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The whole path with real servers: embedded KRaft broker, PostgreSQL migrated by Boot's Flyway; on plain PostgreSQL
 * ({@link IngestIntegrationOnPostgresTest}) and on TimescaleDB ({@link IngestIntegrationOnTimescaleDbTest}).
 */
@SpringBootTest(classes = IngestTestApp.class, properties = {
        "moescope.ingest.retry.initial-interval=100ms",
        "moescope.ingest.retry.max-interval=400ms",
        "moescope.ingest.validation.unknown-run-grace=3s"})
abstract class IngestIntegrationTest extends IngestServersTest {

    private static final ModelIdentity MODEL = new ModelIdentity("tiny-moe", "MixtralForCausalLM", 8, 2, 4,
            List.of(0, 1, 2, 3), 1_000_000L, 400_000L);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Points ingest at a new database of {@code databases}: each storage path's subclass names its own. */
    static void database(DynamicPropertyRegistry registry, Databases databases) {
        Database db = databases.create("ingest_it");
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    @Autowired
    private MeterRegistry meters;

    private final EventCodec codec = new EventCodec();

    @Test
    void storesEveryTokenOnceAndMarksTheRunFinished() throws Exception {
        send(Topics.RUNS, "run-a", codec.encode(run("run-a", RunStatus.STARTED, 0)));
        for (int r = 0; r < 3; r++) {
            for (TokenRouting token : Tokens.request("run-a", "req-" + r, 100, 4, 8)) {
                send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
            }
        }
        send(Topics.RUNS, "run-a", codec.encode(run("run-a", RunStatus.FINISHED, 300)));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-a'")).isEqualTo(300);
            assertThat(jdbc.queryForList("SELECT status FROM run WHERE run_id = 'run-a'", String.class))
                    .containsExactly("FINISHED");
        });
        assertThat(jdbc.queryForList("SELECT tokens, decisions FROM run_volume WHERE run_id = 'run-a'"))
                .containsExactly(Map.of("tokens", 300L, "decisions", 1200L));
        assertThat(count("SELECT sum(tokens) FROM expert_load WHERE run_id = 'run-a'")).isEqualTo(300 * 4 * 2);
        assertThat(count("SELECT tokens_reported FROM run WHERE run_id = 'run-a'")).isEqualTo(300);
    }

    @Test
    void storesTokensRoutedLongAgoAndNextYearInPartitionsOfTheirOwnDays() throws Exception {
        // Imported traces and replays carry their original timestamps; clocks can be ahead.
        int nextYear = Year.now(ZoneOffset.UTC).getValue() + 1;
        long old = Instant.parse("2019-03-04T05:06:07Z").toEpochMilli() * 1000;
        long future = Instant.parse(nextYear + "-07-08T09:10:11Z").toEpochMilli() * 1000;
        for (TokenRouting token : Tokens.request("run-dates", "req-1", 2, 4, 8)) {
            long micros = token.tokenIndex() == 0 ? old : future;
            TokenRouting dated = new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(),
                    token.tokenId(), token.phase(), micros, token.decisions());
            send(Topics.ROUTING, dated.kafkaKey(), codec.encode(dated));
        }

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-dates'")).isEqualTo(2));
        assertThat(count("SELECT tokens FROM run_volume WHERE run_id = 'run-dates'")).isEqualTo(2);
        assumeTrue("partitioned".equals(jdbc.queryForObject("SELECT moescope_storage_path()", String.class)),
                "day partitions are the plain path's; TimescaleDB makes its chunks itself");
        assertThat(jdbc.queryForList("SELECT t.tableoid::regclass::text FROM token_routing t JOIN routing_request r"
                + " USING (request_key) WHERE r.run_id = 'run-dates' ORDER BY t.token_index", String.class))
                .containsExactly("token_routing_p20190304", "token_routing_p" + nextYear + "0708");
    }

    @Test
    void deadLettersMalformedRecordsWithTheirReasonStoresTheValidOnesAroundThemAndKeepsConsuming()
            throws Exception {
        double deadLettersBefore = deadLetters();
        List<TokenRouting> tokens = Tokens.request("run-b", "req-1", 50, 4, 8);
        String key = tokens.get(0).kafkaKey(); // one key, one partition: bad records sit between good ones
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        byte[] empty = new byte[0];
        byte[] mixedTopK = codec.encode(new TokenRouting("run-b", "req-1", 999, 1, Phase.PREFILL, Tokens.T0_MICROS,
                List.of(new RouterDecision(0, new int[] {1, 2}, new float[] {0.5f, 0.5f}, Float.NaN),
                        new RouterDecision(1, new int[] {3}, new float[] {1f}, Float.NaN))));
        byte[] truncated = Arrays.copyOf(codec.encode(tokens.get(0)), 20);
        var bad = new LinkedHashMap<byte[], String>();
        bad.put(garbage, "not an Avro single-object message");
        bad.put(empty, "empty record");
        bad.put(mixedTopK, "token routing cannot be stored: layer 1 has top-1 but layer 0 has top-2");
        bad.put(truncated, "truncated or corrupt record");
        List<byte[]> badValues = new ArrayList<>(bad.keySet());

        for (int i = 0; i < 40; i++) {
            send(Topics.ROUTING, key, codec.encode(tokens.get(i)));
            if (i % 10 == 9) {
                send(Topics.ROUTING, key, badValues.get(i / 10));
            }
        }

        List<ConsumerRecord<String, byte[]>> deadLettered = readDeadLetters(key, 4);
        assertThat(deadLettered).extracting(ConsumerRecord::value).containsExactlyElementsOf(badValues);
        for (ConsumerRecord<String, byte[]> record : deadLettered) {
            assertThat(header(record, DeadLetterRecoverer.REASON_HEADER)).startsWith(bad.get(badValues.get(
                    deadLettered.indexOf(record))));
            assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.ROUTING);
        }
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-b'")).isEqualTo(40));
        assertThat(deadLetters() - deadLettersBefore).isEqualTo(4.0);

        for (int i = 40; i < 50; i++) {
            send(Topics.ROUTING, key, codec.encode(tokens.get(i)));
        }
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-b'")).isEqualTo(50));
        assertThat(count("SELECT tokens FROM run_volume WHERE run_id = 'run-b'")).isEqualTo(50);
    }

    @Test
    void aBatchTheDatabaseRefusesIsRetriedUntilStoredAndNeverDeadLettered() throws Exception {
        double deadLettersBefore = deadLetters();
        double failuresBefore = batchFailures();
        jdbc.execute("ALTER TABLE token_routing RENAME TO token_routing_away");
        try {
            for (TokenRouting token : Tokens.request("run-c", "req-1", 20, 4, 8)) {
                send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
            }
            await().atMost(PATIENCE).until(() -> batchFailures() - failuresBefore >= 3);
            assertThat(count("SELECT count(*) FROM token_routing_away JOIN routing_request USING (request_key)"
                    + " WHERE run_id = 'run-c'")).isZero();
        } finally {
            jdbc.execute("ALTER TABLE token_routing_away RENAME TO token_routing");
        }

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-c'")).isEqualTo(20));
        assertThat(count("SELECT tokens FROM run_volume WHERE run_id = 'run-c'")).isEqualTo(20);
        assertThat(deadLetters()).isEqualTo(deadLettersBefore);
    }

    @Test
    void validatesTokensThatArriveBeforeTheirRunsStartedEventAgainstTheRunsModel() throws Exception {
        // Both listeners up and assigned first, so that the grace covers only the lateness staged below.
        send(Topics.RUNS, "run-warm-up", codec.encode(run("run-warm-up", RunStatus.STARTED, 0)));
        for (TokenRouting token : Tokens.request("run-warm-up", "req-1", 1, 4, 8)) {
            send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
        }
        await().atMost(PATIENCE).until(() ->
                count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-warm-up'") == 1);
        double deadLettersBefore = deadLetters();
        List<TokenRouting> tokens = Tokens.request("run-late", "req-1", 10, 4, 8);
        TokenRouting expertNine = new TokenRouting("run-late", "req-1", 10, 1, Phase.DECODE, Tokens.T0_MICROS,
                List.of(new RouterDecision(0, new int[] {9, 1}, new float[] {0.5f, 0.5f}, 1f)));
        for (TokenRouting token : tokens) {
            send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
        }
        send(Topics.ROUTING, expertNine.kafkaKey(), codec.encode(expertNine));
        Thread.sleep(300); // the STARTED event is late, but within the grace
        send(Topics.RUNS, "run-late", codec.encode(run("run-late", RunStatus.STARTED, 0)));

        List<ConsumerRecord<String, byte[]>> deadLettered = readDeadLetters(expertNine.kafkaKey(), 1);
        assertThat(header(deadLettered.get(0), DeadLetterRecoverer.KIND_HEADER)).isEqualTo("expert-out-of-range");
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-late'")).isEqualTo(10));
        assertThat(deadLetters() - deadLettersBefore).isEqualTo(1.0);
    }

    @Test
    void consumesRunLifecycleEventsInAGroupOfTheirOwn() throws Exception {
        // A rebalance waits for every member of a group. In one group, a routing consumer waiting for a run's
        // STARTED event would hold up the rebalance that assigns the partition carrying that event.
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(assignedTopics(admin, IngestConfiguration.DEFAULT_GROUP_ID))
                        .containsExactlyInAnyOrder(Topics.ROUTING, Topics.WORKLOADS);
                assertThat(assignedTopics(admin, IngestConfiguration.DEFAULT_GROUP_ID
                        + IngestConfiguration.RUNS_GROUP_SUFFIX)).containsExactly(Topics.RUNS);
            });
        }
    }

    @Test
    void storesTokensOfARunThatNeverStartedAfterTheGraceCheckingOnlyWhatNeedsNoModel() throws Exception {
        double deadLettersBefore = deadLetters();
        // 40 experts would be out of range for most models, but this run's model is unknown.
        List<TokenRouting> tokens = Tokens.request("run-ghost", "req-1", 10, 4, 40);
        TokenRouting nanWeight = new TokenRouting("run-ghost", "req-1", 10, 1, Phase.DECODE, Tokens.T0_MICROS,
                List.of(new RouterDecision(0, new int[] {9, 1}, new float[] {Float.NaN, 0.5f}, 1f)));
        for (TokenRouting token : tokens) {
            send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
        }
        send(Topics.ROUTING, nanWeight.kafkaKey(), codec.encode(nanWeight));

        List<ConsumerRecord<String, byte[]>> deadLettered = readDeadLetters(nanWeight.kafkaKey(), 1);
        assertThat(header(deadLettered.get(0), DeadLetterRecoverer.KIND_HEADER)).isEqualTo("invalid-weight");
        // sent on whole, though the listener read it where it lay in the fetched bytes
        assertThat(deadLettered.get(0).value()).isEqualTo(codec.encode(nanWeight));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'run-ghost'")).isEqualTo(10));
        assertThat(deadLetters() - deadLettersBefore).isEqualTo(1.0);
    }
    @Test
    void storesAWorkloadsTokenTextsAndDeadLettersOneWhoseTextPostgresCannotHold() throws Exception {
        var generation = new RunWorkload.Generation(4, 0.0, 1.0, 1, List.of(2), 0, "LRU");
        var request = List.of(new RunWorkload.Request("req-1", "Hi there", List.of(), OptionalLong.empty()));
        var good = new RunWorkload("run-texts", MODEL, "/models/tiny", generation, request,
                Map.of(1, "<s>", 75, "Hi", 612, " there"));
        var nul = new RunWorkload("run-nul-text", MODEL, "/models/tiny", generation, request, Map.of(7, "a\0b"));
        var workloads = new WorkloadCodec();

        send(Topics.WORKLOADS, nul.runId(), workloads.encode(nul));
        send(Topics.WORKLOADS, good.runId(), workloads.encode(good));

        List<ConsumerRecord<String, byte[]>> deadLettered = readDeadLetters(nul.runId(), 1);
        assertThat(header(deadLettered.get(0), DeadLetterRecoverer.REASON_HEADER))
                .startsWith("run workload cannot be stored: text field contains a NUL character: a?b");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT token_id, text FROM token_text WHERE run_id = 'run-texts' ORDER BY token_id"))
                .containsExactly(Map.of("token_id", 1, "text", "<s>"), Map.of("token_id", 75, "text", "Hi"),
                        Map.of("token_id", 612, "text", " there")));
        assertThat(count("SELECT count(*) FROM token_text WHERE run_id = 'run-nul-text'")).isZero();
    }

    /** The topics whose partitions the group's members hold, per the broker. */
    private static Set<String> assignedTopics(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
        var topics = new TreeSet<String>();
        description.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic())));
        return topics;
    }

    private void send(String topic, String key, byte[] value) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    private static RunLifecycle run(String runId, RunStatus status, long tokens) {
        return new RunLifecycle(runId, "integration", status, Tokens.T0_MICROS, "probe", MODEL, tokens);
    }

    private long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private double deadLetters() {
        return meters.find(DeadLetterRecoverer.COUNTER).tag("topic", Topics.ROUTING).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private double batchFailures() {
        Counter counter = meters.find(BatchRetryListener.COUNTER).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(String key, int expected) {
        return DeadLetters.read(broker, "dlq-reader-" + key, key::equals, expected, PATIENCE);
    }
}
