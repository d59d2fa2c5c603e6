package io.moescope.platform;

import io.moescope.platform.MoescopeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform in this JVM for a benchmark's {@code main}: embedded Kafka and PostgreSQL on free ports, a
 * fresh data dir, no demo workload (it would add its own run to what is measured), warnings only in the log.
 */
public final class ScratchPlatform {

    private ScratchPlatform() {
    }

    /**
     * @param name         names the data dir, {@code moescope-NAME...} under the temp dir
     * @param extraSources configuration beside the application's, e.g. {@link PlatformTestAccess} for a browser
     */
    public static ConfigurableApplicationContext start(String name, Class<?>... extraSources) throws IOException {
        String dataDir = Files.createTempDirectory("moescope-" + name).toString();
        Class<?>[] sources = Stream.concat(Stream.of(MoescopeApplication.class), Stream.of(extraSources))
                .toArray(Class<?>[]::new);
        // The web server's port as an argument: a default property loses to application.properties' 8080, which a
        // benchmark must never take from the user's (or CI's) server.
        return new SpringApplicationBuilder(sources)
                .properties("moescope.embedded.kafka-port=0", "moescope.embedded.postgres-port=0",
                        "moescope.data-dir=" + dataDir, "moescope.demo.enabled=false", "logging.level.root=WARN")
                .run("--server.port=0");
    }
}
