package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.EventCodec;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.Topics;
import io.moescope.platform.embedded.EmbeddedKafkaBroker;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code moescope import} against a real in-process broker: its summary is printed only once the broker acknowledged
 * every record, and a broker that stops taking records fails the import with the number of tokens that really are in
 * the topic (field report: "imported 62500 tokens" printed, then "Producer is closed forcefully", 9,235 delivered).
 */
class ImportDeliveryTest {

    /** Long enough that the broker is stopped while the sending pass is still running. */
    private static final int LARGE = 200_000;
    private static final Pattern DELIVERED = Pattern.compile(
            "delivered (\\d+) of (\\d+) tokens, (\\d+) not delivered(?:, (\\d+) unconfirmed)?");

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theSummaryIsPrintedOnlyOnceTheBrokerAcknowledgedEveryToken() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        Path trace = csvTrace("small.csv", 2_000);
        var inTopicWhenAnnounced = new ArrayList<Long>();
        var out = new PrintWriter(new StringWriter(), true) {
            @Override
            public void println(String line) {
                if (line.contains("imported ")) {
                    inTopicWhenAnnounced.add(recordsIn(Topics.ROUTING));
                }
                super.println(line);
            }
        };
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(out);

        int status = cli.execute("import", "--bootstrap-servers", broker.bootstrapServers(), trace.toString());

        assertThat(status).isZero();
        assertThat(inTopicWhenAnnounced).containsExactly(2_000L);
    }

    /**
     * Kafka cannot say whether the records on their way when the broker stopped were written (the broker may have
     * written them and stopped before answering): the import counts them apart, and the topic holds at least the
     * delivered ones and at most those plus the unconfirmed ones.
     */
    @Test
    void aBrokerStoppedDuringTheImportFailsItWithTheTokensDeliveredAndUnconfirmedAndNoSummary() throws Exception {
        Path logDir = dir.resolve("kafka");
        broker = EmbeddedKafkaBroker.start(logDir, 0);
        int port = Integer.parseInt(broker.bootstrapServers().substring("localhost:".length()));
        Path trace = csvTrace("large.csv", LARGE);

        var run = importInBackground(trace, "PT3S");
        awaitRecordsIn(Topics.ROUTING, 1_000);
        broker.close();
        broker = null;
        Result result = run.get(5, TimeUnit.MINUTES);
        broker = EmbeddedKafkaBroker.start(logDir, port);

        assertThat(result.status()).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(result.out()).doesNotContain("imported");
        Matcher counts = DELIVERED.matcher(result.err());
        assertThat(counts.find()).as(result.err()).isTrue();
        long delivered = Long.parseLong(counts.group(1));
        long notDelivered = Long.parseLong(counts.group(3));
        long unconfirmed = counts.group(4) == null ? 0 : Long.parseLong(counts.group(4));
        assertThat(Long.parseLong(counts.group(2))).isEqualTo(LARGE);
        assertThat(delivered + notDelivered + unconfirmed).isEqualTo(LARGE);
        assertThat(delivered).isBetween(1_000L, LARGE - 1L);
        assertThat(recordsIn(Topics.ROUTING)).isBetween(delivered, delivered + unconfirmed);
        assertThat(result.err()).contains("could not be marked FAILED either");
    }

    @Test
    void recordsTheBrokerRefusesFailTheImportWithExactlyTheTokensInTheTopicAndMarkTheRunFailed() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        Path trace = csvTrace("large.csv", LARGE);

        var run = importInBackground(trace, "PT3S");
        awaitRecordsIn(Topics.ROUTING, 1_000);
        // From now on the broker refuses every routing record before writing it, and answers: no acknowledgement
        // is lost, so the delivered count is exact. The run's events (another topic) are still taken.
        refuseWritesTo(Topics.ROUTING);
        Result result = run.get(5, TimeUnit.MINUTES);

        assertThat(result.status()).isEqualTo(ErrorMessageHandler.USER_ERROR);
        assertThat(result.out()).doesNotContain("imported");
        Matcher counts = DELIVERED.matcher(result.err());
        assertThat(counts.find()).as(result.err()).isTrue();
        long delivered = Long.parseLong(counts.group(1));
        assertThat(recordsIn(Topics.ROUTING)).isEqualTo(delivered);
        RunLifecycle last = lastRunEvent();
        assertThat(last.status()).isEqualTo(RunStatus.FAILED);
        assertThat(last.tokens()).isEqualTo(delivered);
        assertThat(result.err()).contains("run large.csv (" + last.runId() + ") is marked FAILED with " + delivered
                + " tokens");
    }

    private record Result(int status, String out, String err) {
    }

    private CompletableFuture<Result> importInBackground(Path trace, String deliveryTimeout) {
        String servers = broker.bootstrapServers();
        return CompletableFuture.supplyAsync(() -> {
            var out = new StringWriter();
            var err = new StringWriter();
            CommandLine cli = MoescopeCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int status = cli.execute("import", "--bootstrap-servers", servers, "--delivery-timeout", deliveryTimeout,
                    trace.toString());
            return new Result(status, out.toString(), err.toString());
        });
    }

    /** {@code tokens} tokens of one request, 4 layers, top-2 of 8, no two neighbours alike (no warm-up). */
    private Path csvTrace(String name, int tokens) throws IOException {
        Path file = dir.resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("request_id,token_index,layer,expert_ids\n");
            for (int t = 0; t < tokens; t++) {
                for (int layer = 0; layer < 4; layer++) {
                    int a = (t + layer) % 8;
                    int b = (a + 1 + t % 3) % 8;
                    w.write("r," + t + "," + layer + "," + a + "|" + b + "\n");
                }
            }
        }
        return file;
    }

    private void refuseWritesTo(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // Smaller than any record: refused as too large, a failure no retry can fix.
            var tiny = new AlterConfigOp(new ConfigEntry("max.message.bytes", "16"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(tiny))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void awaitRecordsIn(String topic, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (recordsIn(topic) < records) {
            assertThat(System.nanoTime()).as("%d records in %s within 60 s", records, topic).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Records in the topic: each was written once (idempotent producer, no transactions), so offsets count them. */
    private long recordsIn(String topic) {
        try (var consumer = consumer()) {
            if (!consumer.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
                return 0;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private RunLifecycle lastRunEvent() {
        var codec = new EventCodec();
        var events = new ArrayList<RunLifecycle>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUNS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(Topics.RUNS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long expected = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(codec.decodeRunLifecycle(r.value())));
            }
        }
        assertThat(events).isNotEmpty();
        // One run, keyed by its id: all its events are in one partition, in order.
        return events.get(events.size() - 1);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
