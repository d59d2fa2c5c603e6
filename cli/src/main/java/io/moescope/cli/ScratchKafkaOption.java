package io.moescope.cli;

import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers} of the benchmarks: a broker they may fill, else a scratch in-process one. Not
 * {@link PlatformKafkaOption}: there absence means the platform's broker, which a benchmark must not fill.
 */
final class ScratchKafkaOption {

    /** Null: start a scratch broker. */
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "A Kafka broker it may fill (default: a fresh in-process broker, removed afterwards).")
    String bootstrapServers;
}
