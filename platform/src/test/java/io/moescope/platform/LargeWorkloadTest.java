package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.RunWorkload;
import io.moescope.events.Topics;
import io.moescope.events.WorkloadCodec;
import io.moescope.events.WorkloadLimit;
import io.moescope.platform.workload.RecordedWorkloads;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.TestPropertySource;

/**
 * A run's workload is one Kafka record; Kafka's defaults stop records at ~1 MB. Workloads up to the 16 MiB limit
 * travel through the real broker into PostgreSQL whole, and one above it is refused by the probe without touching
 * the run's routing.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class LargeWorkloadTest extends EmbeddedPlatformTest {

    private static final int TOKENS_BEFORE = 100;
    private static final int TOKENS_AFTER = 100;
    private static final ConfigResource WORKLOADS_TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, Topics.WORKLOADS);

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @Autowired
    private TestRestTemplate http;
    @Autowired
    private RecordedWorkloads workloads;
    @Autowired
    private KafkaAdmin kafkaAdmin;

    @Test
    void aWorkloadOfSeveralMegabytesIsStoredWholeWithItsRunsRouting() {
        String runId = "large-" + UUID.randomUUID();
        RunWorkload workload = workload(runId, 2_000, 2_048);
        assertThat(new WorkloadCodec().encode(workload).length).isGreaterThan(4_000_000);

        stream(runId, sink -> sink.workload(workload));

        awaitRouting(runId);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> workloads.find(runId).isPresent());
        assertThat(workloads.find(runId)).isEqualTo(Optional.of(workload));
    }

    @Test
    void aWorkloadAboveTheLimitIsRefusedWithItsSizeAndTheRunsRoutingStillArrives() {
        String runId = "too-large-" + UUID.randomUUID();
        RunWorkload workload = workload(runId, 9_000, 2_048);

        stream(runId, sink -> assertThatThrownBy(() -> sink.workload(workload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the workload of run " + runId + " is 18,")
                .hasMessageContaining("with 9,000 requests and 0 token texts, above the limit of 16,777,216 bytes"
                        + " (16.0 MiB)")
                .hasMessageEndingWith("run fewer prompts per run (split the prompt file into several runs)"));

        awaitRouting(runId);
    }

    @Test
    void theWorkloadsTopicTakesRecordsUpToTheLimitAgainAfterItsSettingWasLowered() throws Exception {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            lowerToKafkasDefault(admin);

            kafkaAdmin.initialize();

            await().atMost(Duration.ofSeconds(60)).until(() -> maxMessageBytes(admin)
                    .equals(String.valueOf(WorkloadLimit.KAFKA_RECORD_BYTES)));
        }
        assertThat(WorkloadLimit.KAFKA_RECORD_BYTES).isEqualTo(16_842_752);
    }

    @Test
    void aWorkloadTheBrokerRefusesCostsTheRunOnlyItsWorkloadNotItsRouting() throws Exception {
        String runId = "refused-" + UUID.randomUUID();
        RunWorkload workload = workload(runId, 2_000, 2_048);
        int bytes = new WorkloadCodec().encode(workload).length;
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            lowerToKafkasDefault(admin);
            await().atMost(Duration.ofSeconds(60)).until(() -> maxMessageBytes(admin).equals("1048588"));

            assertThatThrownBy(() -> stream(runId, sink -> sink.workload(workload)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.format(Locale.ROOT, "refused the run's workload (%,d bytes on"
                            + " moescope.workloads) as too large", bytes))
                    .hasMessageContaining("every routing event was delivered, the run has no recorded workload");

            awaitRouting(runId);
        } finally {
            kafkaAdmin.initialize();
        }
    }

    /** The workloads topic as an older moescope created it, with Kafka's default record size limit. */
    private static void lowerToKafkasDefault(Admin admin) throws Exception {
        admin.incrementalAlterConfigs(Map.of(WORKLOADS_TOPIC, List.of(new AlterConfigOp(new ConfigEntry(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"), AlterConfigOp.OpType.SET)))).all().get();
    }

    private static String maxMessageBytes(Admin admin) throws Exception {
        return admin.describeConfigs(List.of(WORKLOADS_TOPIC)).all().get().get(WORKLOADS_TOPIC)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
    }

    /** STARTED, tokens, the workload step, more tokens, FINISHED: routing on both sides of the workload. */
    private void stream(String runId, Consumer<KafkaRoutingSink> workloadStep) {
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runStarted(CollapsingWorkload.started(runId));
            for (int t = 0; t < TOKENS_BEFORE; t++) {
                sink.token(CollapsingWorkload.token(runId, t));
            }
            workloadStep.accept(sink);
            for (int t = TOKENS_BEFORE; t < TOKENS_BEFORE + TOKENS_AFTER; t++) {
                sink.token(CollapsingWorkload.token(runId, t));
            }
            sink.runFinished(CollapsingWorkload.finished(runId, TOKENS_BEFORE + TOKENS_AFTER));
        }
    }

    private void awaitRouting(String runId) {
        // One layer: a decision per token.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode run = http.getForObject("/api/runs/" + runId, JsonNode.class);
            return run != null && run.path("decisions").asLong() == TOKENS_BEFORE + TOKENS_AFTER
                    && "FINISHED".equals(run.path("status").asText());
        });
    }

    /**
     * {@code requests} prompts of {@code chars} random letters each: random so that lz4 cannot shrink the record
     * under Kafka's limits and the test proves the limits, not the compression.
     */
    private static RunWorkload workload(String runId, int requests, int chars) {
        var random = new Random(7);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-()";
        var list = new ArrayList<RunWorkload.Request>(requests);
        for (int r = 0; r < requests; r++) {
            var text = new StringBuilder(chars);
            for (int c = 0; c < chars; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            list.add(new RunWorkload.Request("req-" + r, text.toString(), List.of(),
                    OptionalLong.of(1_767_323_045_123_456L + r)));
        }
        return new RunWorkload(runId, CollapsingWorkload.ONE_LAYER_OF_8, "/models/large",
                new RunWorkload.Generation(8, 0.0, 1.0, 7, List.of(2), 0, "LRU"), list, Map.of());
    }
}
