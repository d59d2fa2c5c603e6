package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The codec a sending command (probe, tap, import, replay) gives its producer, by the options it was given. */
class CompressionOptionTest {

    @Command(name = "send")
    static final class Sending {

        @Mixin
        PlatformKafkaOption kafka;

        @Mixin
        CompressionOption compression;

        String codec() {
            return compression.choose(kafka.embeddedBroker()).codec();
        }
    }

    private static Sending parse(String... args) {
        var command = new Sending();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void withoutABrokerAddressTheRunGoesUncompressedToServesEmbeddedBroker() {
        Sending command = parse();

        assertThat(command.kafka.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(command.codec()).isEqualTo("none");
    }

    @Test
    void aBrokerGivenByAddressGetsLz4() {
        assertThat(parse("--bootstrap-servers", "kafka.example:9092").codec()).isEqualTo("lz4");
    }

    @Test
    void anExplicitCompressionWinsForEitherBroker() {
        assertThat(parse("--compression", "lz4").codec()).isEqualTo("lz4");
        assertThat(parse("--bootstrap-servers", "kafka.example:9092", "--compression", "zstd").codec())
                .isEqualTo("zstd");
    }
}
