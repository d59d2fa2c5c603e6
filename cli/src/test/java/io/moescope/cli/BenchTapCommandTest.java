package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code moescope bench-tap}'s scratch broker fails to start as serve's does: named, with the action for it. */
class BenchTapCommandTest {

    @TempDir
    Path dir;

    @Test
    void aScratchBrokerThatCannotStartIsExplainedAsServesIsAndExitsWith1() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path notAFolder = Files.writeString(scratch.resolve("kafka"), "");
        CommandLine.IFactory onThisFolder = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == BenchTapCommand.class ? type.cast(new BenchTapCommand(prefix -> scratch))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        var err = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine(onThisFolder);
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("bench-tap", "--requests", "1", "--rounds", "2");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("moescope: the embedded Kafka broker cannot use its data folder: "
                + notAFolder + " (FileAlreadyExistsException)" + System.lineSeparator() + "Let this user read and"
                + " write the data dir (moescope makes it owner-only), or set moescope.data-dir (MOESCOPE_DATA_DIR)"
                + " to a folder it may use." + System.lineSeparator());
    }
}
