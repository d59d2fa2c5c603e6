package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.cli.MoescopeCli;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.security.ApiTokens;
import io.moescope.platform.security.LocalCliToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;

/** The command line's token: the local server's token file by default, and a clear message when it is refused. */
class CliTokenPlatformTest extends EmbeddedPlatformTest {

    @LocalServerPort
    private int port;

    @Autowired
    private LocalCliToken localToken;

    @Autowired
    private ApiTokens tokens;

    @Autowired
    private JdbcTemplate jdbc;

    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theServerKeepsAnAdminTokenForTheLocalCliInAFileOnlyItsUserCanRead() throws Exception {
        Path file = localToken.file();
        String secret = Files.readString(file).strip();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(tokens.isValid(secret)).isTrue();
        assertThat(jdbc.queryForList("SELECT token_hash FROM api_token", String.class)).doesNotContain(secret);
    }

    @Test
    void theCliReadsTheLocalServersTokenFileWithNoSetup() {
        int status = cli("metrics", "--run", "no-such-run", "--server", "http://localhost:" + port);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("no run with id or name 'no-such-run'");
    }

    @Test
    void aRefusedTokenIsExplainedWithHowToPassOne() {
        int status = cli("metrics", "--run", "demo", "--server", "http://localhost:" + port, "--token", "msk_wrong");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("rejected the API token from --token (unknown or revoked)")
                .contains("pass --token TOKEN, set MOESCOPE_TOKEN").contains("Users & tokens");
    }

    @Test
    void withNoTokenAnywhereTheCliSaysOneIsNeeded() throws Exception {
        System.setProperty("moescope.data-dir", Files.createTempDirectory("no-server-here").toString());

        int status = cli("metrics", "--run", "demo", "--server", "http://localhost:" + port);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("needs an API token: pass --token TOKEN");
    }

    @Test
    void theTokenFileIsKeptWhileValidAndReplacedWhenDeleted() throws Exception {
        String before = Files.readString(localToken.file());
        localToken.afterPropertiesSet();
        assertThat(Files.readString(localToken.file())).isEqualTo(before);

        Files.delete(localToken.file());
        localToken.afterPropertiesSet();

        String after = Files.readString(localToken.file());
        assertThat(after).isNotEqualTo(before);
        assertThat(tokens.isValid(after.strip())).isTrue();
        assertThat(tokens.isValid(before.strip())).as("the lost token is revoked").isFalse();
    }
}
