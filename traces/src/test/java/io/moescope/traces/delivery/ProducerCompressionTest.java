package io.moescope.traces.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The one rule for the batch codec of routing producers: by where the broker runs, an explicit choice first. */
class ProducerCompressionTest {

    @Test
    void producerOfTheEmbeddedBrokerSendsUncompressedBatches() {
        var config = KafkaRoutingSink.producerConfig("localhost:9092",
                ProducerCompression.choose(Optional.empty(), true), Map.of());

        assertThat(config).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    }

    @Test
    void producerOfAnExternalBrokerCompressesWithLz4() {
        var config = KafkaRoutingSink.producerConfig("kafka.example:9092",
                ProducerCompression.choose(Optional.empty(), false), Map.of());

        assertThat(config).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    @Test
    void explicitCodecWinsForEitherBroker() {
        assertThat(ProducerCompression.choose(Optional.of("zstd"), true).codec()).isEqualTo("zstd");
        assertThat(ProducerCompression.choose(Optional.of("none"), false).codec()).isEqualTo("none");
    }

    @Test
    void codecOutsideTheThreeIsRefusedNamingThem() {
        assertThatThrownBy(() -> ProducerCompression.choose(Optional.of("gzip"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("compression must be lz4, zstd or none but was gzip");
    }
}
