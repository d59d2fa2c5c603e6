package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.platform.MoescopeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bad configuration stops the application with one message that names the problem. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path dataDir;

    /** @param arguments command-line arguments, which win over application.properties as they do for users */
    private void start(String... arguments) {
        var properties = new LinkedHashMap<String, String>();
        Stream.concat(Stream.of("moescope.data-dir=" + dataDir, "moescope.embedded.kafka-port=0",
                        "moescope.embedded.postgres-port=0", "moescope.demo.enabled=false", "server.port=0",
                        "spring.datasource.hikari.connection-timeout=2000"), Stream.of(arguments))
                .map(a -> a.split("=", 2))
                .forEach(kv -> properties.put(kv[0], kv[1]));
        new SpringApplicationBuilder(MoescopeApplication.class).run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @Test
    void anUnreachableKafkaIsNamedWithItsAddress(CapturedOutput output) throws IOException {
        String kafka = "localhost:" + closedPort();
        assertThatThrownBy(() -> start("spring.kafka.bootstrap-servers=" + kafka));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Kafka at " + kafka + " is unreachable");
    }

    @Test
    void anUnreachablePostgresqlIsNamed(CapturedOutput output) throws IOException {
        String url = "jdbc:postgresql://localhost:" + closedPort() + "/moescope";
        assertThatThrownBy(() -> start("spring.datasource.url=" + url, "spring.datasource.username=moescope"));
        assertThat(output).contains("APPLICATION FAILED TO START").contains("PostgreSQL is unreachable");
    }

    @Test
    void aTakenEmbeddedPortIsNamedWithThePropertyToChange(CapturedOutput output) throws IOException {
        try (var taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> start("moescope.embedded.postgres-port=" + taken.getLocalPort()));
            assertThat(output).contains("port " + taken.getLocalPort() + " for the embedded PostgreSQL is already "
                    + "in use").contains("set moescope.embedded.postgres-port to another port");
        }
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
