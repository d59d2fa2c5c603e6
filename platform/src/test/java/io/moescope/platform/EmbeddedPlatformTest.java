package io.moescope.platform;

import io.moescope.platform.MoescopeApplication;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole platform on its embedded default (in-process KRaft broker, embedded PostgreSQL), on free ports and in a
 * fresh data folder per application context: cached contexts stay alive side by side, and two servers must never
 * share a folder.
 *
 * <p>Security, once for every platform test (see {@link PlatformTestAccess}): the autowired TestRestTemplate sends
 * an admin token, browser tests sign in as the test admin, and while a test runs the system property
 * {@code moescope.data-dir} names this context's data dir, so the in-process CLI finds the server's
 * {@code cli-token} there exactly as {@code ./moescope metrics} finds {@code ./moescope serve}'s.
 */
@SpringBootTest(classes = {MoescopeApplication.class, PlatformTestAccess.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"moescope.embedded.kafka-port=0", "moescope.embedded.postgres-port=0"})
public abstract class EmbeddedPlatformTest {

    private static final String DATA_DIR = "moescope.data-dir";

    @Value("${" + DATA_DIR + "}")
    private String dataDir;

    @DynamicPropertySource
    protected static void freshDataDir(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("moescope-platform-test").toString();
        registry.add(DATA_DIR, () -> dataDir);
    }

    /** Test methods run one at a time in this JVM; the property never outlives the test that set it. */
    @BeforeEach
    protected void cliUsesThisServersDataDir() {
        System.setProperty(DATA_DIR, dataDir);
    }

    @AfterEach
    protected void cliDataDirBackToDefault() {
        System.clearProperty(DATA_DIR);
    }
}
