package io.moescope.platform;

import io.moescope.app.MoescopeApplication;
import java.io.IOException;
import java.nio.file.Files;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole platform on its embedded default (in-process KRaft broker, embedded PostgreSQL), on free ports and in a
 * fresh data folder per application context: cached contexts stay alive side by side, and two servers must never
 * share a folder.
 */
@SpringBootTest(classes = MoescopeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"moescope.embedded.kafka-port=0", "moescope.embedded.postgres-port=0"})
public abstract class EmbeddedPlatformTest {

    @DynamicPropertySource
    protected static void freshDataDir(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("moescope-platform-test").toString();
        registry.add("moescope.data-dir", () -> dataDir);
    }
}
