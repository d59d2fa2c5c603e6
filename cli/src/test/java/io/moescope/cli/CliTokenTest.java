package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI's bearer token comes from: the first of --token, MOESCOPE_TOKEN, token files, the local server's. */
class CliTokenTest {

    private static final URI LOCAL = URI.create("http://localhost:8080/");

    @TempDir
    Path dataDir;

    @Test
    void theOptionWinsOverTheEnvironment() {
        assertThat(CliToken.find(LOCAL, "msk_option", null, Map.of("MOESCOPE_TOKEN", "msk_env"), dataDir))
                .contains(new CliToken("msk_option", "--token"));
    }

    @Test
    void theEnvironmentWinsOverATokenFile() throws Exception {
        Path file = Files.writeString(dataDir.resolve("t"), "msk_file\n");
        assertThat(CliToken.find(LOCAL, null, file, Map.of("MOESCOPE_TOKEN", "msk_env"), dataDir))
                .contains(new CliToken("msk_env", "MOESCOPE_TOKEN"));
    }

    @Test
    void aTokenFileIsReadWithoutItsLineEnd() throws Exception {
        Path file = Files.writeString(dataDir.resolve("t"), "msk_file\n");
        assertThat(CliToken.find(LOCAL, null, null, Map.of("MOESCOPE_TOKEN_FILE", file.toString()), dataDir))
                .contains(new CliToken("msk_file", "MOESCOPE_TOKEN_FILE " + file));
    }

    @Test
    void aLocalServerGetsTheTokenFileInTheDataDir() throws Exception {
        Files.writeString(dataDir.resolve("cli-token"), "msk_local\n");
        assertThat(CliToken.find(URI.create("http://127.0.0.1:9090/"), null, null, Map.of(), dataDir))
                .map(CliToken::value).contains("msk_local");
    }

    @Test
    void aRemoteServerNeverGetsTheLocalToken() throws Exception {
        Files.writeString(dataDir.resolve("cli-token"), "msk_local\n");
        assertThat(CliToken.find(URI.create("http://192.0.2.10:8080/"), null, null, Map.of(), dataDir))
                .isEmpty();
    }
}
