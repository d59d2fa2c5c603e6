package io.moescope.cli;

import io.moescope.traces.delivery.ProducerCompression;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --compression}: the Kafka batch codec of the commands that produce routing events. Without it,
 * {@link ProducerCompression#choose}'s rule: none for an embedded broker (producer, broker and ingest on one host),
 * lz4 for one given by address.
 */
final class CompressionOption {

    /** Null: chosen by where the broker runs. */
    @Option(names = "--compression", paramLabel = "CODEC",
            description = "Kafka batch compression: lz4, zstd or none (default: none for the embedded broker, which "
                    + "shares this host's CPU; lz4 for one given by --bootstrap-servers).")
    private String codec;

    /** Whether the user chose a codec. */
    boolean given() {
        return codec != null;
    }

    /**
     * @param embeddedBroker whether the broker is an embedded one on this host rather than one given by address
     * @throws IllegalArgumentException when the given codec is none of lz4, zstd, none
     */
    ProducerCompression choose(boolean embeddedBroker) {
        try {
            return ProducerCompression.choose(Optional.ofNullable(codec), embeddedBroker);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
    }
}
