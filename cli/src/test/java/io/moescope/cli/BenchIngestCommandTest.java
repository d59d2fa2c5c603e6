package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code moescope bench-ingest} as a user runs it, on the scratch embedded servers it starts itself: it once failed
 * at its first connection, because the embedded PostgreSQL takes only the password it makes and the command passed
 * none.
 */
class BenchIngestCommandTest {

    @Test
    void onItsOwnEmbeddedServersItMeasuresTheWritePathAndPrintsTheRatio() {
        // the command prints its figures to standard output, as on a terminal
        PrintStream terminal = System.out;
        var printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = MoescopeCli.commandLine().execute("bench-ingest", "--decisions", "32000",
                    "--heatmap-decisions", "32000", "--layers", "4", "--repeats", "1");
        } finally {
            System.setOut(terminal);
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        assertThat(status).as(output).isZero();
        assertThat(output).contains("Write path: 32,000 decisions (8,000 tokens x 4 layers)")
                .containsPattern("ratio \\(2\\)/\\(1\\), median of 1 pairs: \\d+\\.\\d\\d")
                .containsPattern("COPY encode +\\d+\\.\\d{4}")
                .containsPattern("zstd +\\d+\\.\\d\\d B/decision");
    }
}
