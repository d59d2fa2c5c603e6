package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moescope bench-speed --model} as a user runs it on a folder that holds no checkpoint. */
class BenchSpeedCommandTest {

    @Test
    void aFolderWithoutACheckpointFailsNamingTheMissingConfigBeforeAnythingIsTimed(@TempDir Path empty) {
        PrintStream terminal = System.out;
        PrintStream errors = System.err;
        var printed = new ByteArrayOutputStream();
        int status;
        try {
            var both = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
            status = MoescopeCli.commandLine().execute("bench-speed", "--model", empty.toString());
        } finally {
            System.setOut(terminal);
            System.setErr(errors);
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        assertThat(status).as(output).isNotZero();
        assertThat(output).contains("config.json").doesNotContain("tok/s");
    }
}
