package io.moescope.platform.embedded;

import io.moescope.events.WorkloadLimit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker in this process, its log in a folder that survives restarts. For the embedded
 * default only: one node, replication factor 1.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * The one start of an embedded broker, for serve and the benchmarks alike: a failure comes as an
     * {@link EmbeddedServerException} that names its cause and the action for it ({@link KafkaStartFailure}).
     *
     * @param logDir    where the broker keeps its log; formatted on first use
     * @param port      client port; 0 picks a free one
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        try {
            return startBroker(logDir, port);
        } catch (EmbeddedServerException e) {
            throw e; // its port taken, or its folder held: already named with its action
        } catch (IOException | RuntimeException e) {
            // the broker's own start throws RuntimeExceptions (a log folder it cannot read, another cluster's)
            throw KafkaStartFailure.explain(logDir, e);
        }
    }

    private static EmbeddedKafkaBroker startBroker(Path logDir, int port) throws IOException {
        int clientPort = port == 0 ? FreePorts.pick() : port;
        FreePorts.requireFree(clientPort, "Kafka", "moescope.embedded.kafka-port");
        int controllerPort = FreePorts.otherThan(clientPort, FreePorts::pick);
        PrivateFolders.ownerOnly(logDir);
        KafkaStartFailure.requireNotHeld(logDir);
        Properties config = config(logDir, clientPort, controllerPort);
        formatIfNew(logDir, config);
        var server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafkaBroker(server, clientPort);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties config(Path logDir, int clientPort, int controllerPort) {
        var p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // One node: internal topics cannot be replicated, and nobody else will join a consumer group late.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "3");
        // A run's workload is one record of up to WorkloadLimit.DEFAULT, also on a workloads topic the probe's first
        // send created before ingest declared it (the topic's own max.message.bytes covers the usual order).
        p.setProperty("message.max.bytes", String.valueOf(WorkloadLimit.KAFKA_RECORD_BYTES));
        return p;
    }

    private static void formatIfNew(Path logDir, Properties config) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = Files.createTempFile("moescope-kraft", ".properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "moescope embedded broker");
        }
        var output = new ByteArrayOutputStream();
        int status;
        try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", configFile.toString()}, print);
        } finally {
            Files.deleteIfExists(configFile);
        }
        if (status != 0) {
            throw new IOException("could not format the Kafka log directory " + logDir + ": "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }
}
