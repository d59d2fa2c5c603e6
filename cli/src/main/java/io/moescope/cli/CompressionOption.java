package io.moescope.cli;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/** {@code --compression}: the Kafka batch codec of the commands that produce routing events. */
final class CompressionOption {

    @Option(names = "--compression", defaultValue = "lz4", paramLabel = "CODEC",
            description = "Kafka batch compression: lz4 or zstd (default: ${DEFAULT-VALUE}).")
    String codec;

    /** The producer settings for the chosen codec, refused with a message when it is neither lz4 nor zstd. */
    Map<String, Object> producerOverrides() {
        if (!codec.equals("lz4") && !codec.equals("zstd")) {
            throw new IllegalArgumentException("--compression must be lz4 or zstd but was " + codec);
        }
        return Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
    }
}
