package io.moescope.traces.delivery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka batch codec of every producer of routing events (probe, tap, import, replay, the platform's demo run,
 * uploads and replays), chosen by where the broker runs: the one rule, so that every producer sends alike.
 *
 * <p>With the embedded broker of {@code moescope serve} (or a benchmark's in-process one) the producer, the broker
 * and ingest share one host's CPU, and that host pays to compress, to validate and to decompress every batch:
 * uncompressed batches cost them least (0.016-0.020 CPU s per million decisions in all, against 0.063-0.113 for lz4
 * and 0.171-0.202 for zstd, at 21.8, 11.4 and 9.0 bytes per decision; docs/benchmarks.md, "Ingest"). A broker given
 * by its address is usually across a network, where lz4 halves the bytes for a fraction of a core. An explicit
 * choice ({@code --compression}, {@code moescope.kafka.compression}) wins over both.
 *
 * @param codec Kafka's {@code compression.type}: none, lz4 or zstd
 */
public record ProducerCompression(String codec) {

    /** The codecs a producer may be given, in the order the messages list them. */
    public static final List<String> CODECS = List.of("lz4", "zstd", "none");

    /** For the embedded, in-process broker: producer, broker and ingest on one host. */
    public static final ProducerCompression EMBEDDED_BROKER = new ProducerCompression("none");

    /** For a broker given by its bootstrap servers, usually across a network. */
    public static final ProducerCompression EXTERNAL_BROKER = new ProducerCompression("lz4");

    public ProducerCompression {
        if (!CODECS.contains(codec)) {
            throw new IllegalArgumentException("compression must be lz4, zstd or none but was " + codec);
        }
    }

    /**
     * @param explicit      the codec the user chose, if any: it wins
     * @param embeddedBroker whether the broker is the embedded, in-process one rather than one given by address
     * @throws IllegalArgumentException when the explicit codec is none of lz4, zstd, none
     */
    public static ProducerCompression choose(Optional<String> explicit, boolean embeddedBroker) {
        return explicit.map(ProducerCompression::new).orElse(embeddedBroker ? EMBEDDED_BROKER : EXTERNAL_BROKER);
    }

    /** The producer setting of this codec. */
    public Map<String, Object> producerSettings() {
        return Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
    }
}
