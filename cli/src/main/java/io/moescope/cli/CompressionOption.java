package io.moescope.cli;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/**
 * {@code --compression}: the Kafka batch codec of the commands that produce routing events. lz4 by default, as for a
 * probe that sends over a network; none where the probe, the broker and ingest share one host, the codec that costs
 * them least CPU in all (measured side by side by {@code moescope bench-ingest}, docs/benchmarks.md, "Ingest").
 */
final class CompressionOption {

    @Option(names = "--compression", defaultValue = "lz4", paramLabel = "CODEC",
            description = "Kafka batch compression: lz4, zstd or none (none: all on one host; default: "
                    + "${DEFAULT-VALUE}).")
    String codec;

    /** The producer settings for the chosen codec, refused with a message when it is none of lz4, zstd, none. */
    Map<String, Object> producerOverrides() {
        if (!codec.equals("lz4") && !codec.equals("zstd") && !codec.equals("none")) {
            throw new IllegalArgumentException("--compression must be lz4, zstd or none but was " + codec);
        }
        return Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
    }
}
