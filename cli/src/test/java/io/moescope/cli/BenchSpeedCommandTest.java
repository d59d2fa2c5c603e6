package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.benchmarks.speed.StepTime;
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

    @Test
    void theForwardPassIsShownOverItsFloorByWallAndByCpu() {
        assertThat(BenchSpeedCommand.ratio(new StepTime(0.003, 0.006), new StepTime(0.002, 0.003)))
                .isEqualTo("(x1.50 / x2.00)");
    }

    /** The process's CPU clock ticks coarsely: a tiny model's floor can take no measurable CPU at all. */
    @Test
    void aRatioOverAFloorOfNoCpuTimeIsNotMeasurableSayingWhy() {
        assertThat(BenchSpeedCommand.ratio(new StepTime(0.003, 0.01), new StepTime(0.002, 0)))
                .isEqualTo("(x1.50 / CPU not measurable: the floor took 0 ms of CPU, below the process CPU clock's"
                        + " resolution)");
    }
}
