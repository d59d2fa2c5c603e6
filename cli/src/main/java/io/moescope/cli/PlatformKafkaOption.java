package io.moescope.cli;

import picocli.CommandLine.Option;

/** {@code --bootstrap-servers}: the platform's Kafka, for the commands that send a run to it. */
final class PlatformKafkaOption {

    /** Where the embedded broker of {@code moescope serve} listens. */
    static final String EMBEDDED_BROKER = "localhost:9092";

    /** Null: the embedded broker of {@code moescope serve}, on this host. */
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to send to (default: " + EMBEDDED_BROKER + ", the embedded broker of "
                    + "'moescope serve').")
    private String given;

    String bootstrapServers() {
        return given != null ? given : EMBEDDED_BROKER;
    }

    /** Whether the run goes to the embedded broker of {@code moescope serve} (no address given): this host. */
    boolean embeddedBroker() {
        return given == null;
    }
}
