package io.moescope.cli;

import picocli.CommandLine.Option;

/** {@code --bootstrap-servers}: the platform's Kafka, for the commands that send a run to it. */
final class PlatformKafkaOption {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka to send to (default: ${DEFAULT-VALUE}, the embedded broker of 'moescope serve').")
    String bootstrapServers;
}
