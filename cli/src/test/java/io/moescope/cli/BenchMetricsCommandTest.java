package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code moescope bench-metrics} as a user runs it, on a small run, on the scratch platform it starts itself. */
class BenchMetricsCommandTest {

    /** figure, source, p50, p95, calls, p95 over the target: a row of the printed table. */
    private static final String NUMBER = "(\\d+\\.\\d)";

    @Test
    void itPrintsEveryFigureWithItsPercentilesAndTheRatioToTheTarget() {
        PrintStream terminal = System.out;
        var printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = MoescopeCli.commandLine().execute("bench-metrics", "--decisions", "32000", "--layers", "4",
                    "--calls", "3", "--raw-calls", "2");
        } finally {
            System.setOut(terminal);
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        assertThat(status).as(output).isZero();
        assertThat(output).contains("Stored bench-metrics: 32,000 decisions (8,000 tokens x 4 layers, top-2 of 8)");
        List<String> rows = List.of(
                "run list, first page of 100 +run table +",
                "run summary \\(page header\\) +run table +",
                "load metrics per layer \\(heatmap, table\\) +rollups +",
                "load metrics per layer \\(heatmap, table\\) +raw rows +",
                "scorecards: every layer judged by the alert rules +rollups +",
                "reading every decision \\(reference\\) +raw rows +",
                "default metric suite +raw rows +",
                "default metric suite, API answer as JSON +stored suite +",
                "run page's stored suite \\(sequence panel\\) +stored suite +",
                "load over time, 20 windows +raw rows +");
        for (String row : rows) {
            boolean fast = row.contains("rollups") || row.contains("stored suite") || row.contains("run table");
            Matcher m = Pattern.compile("(?m)^" + row + NUMBER + " +" + NUMBER + " +(\\d+) +(\\d+\\.\\d\\d)x$")
                    .matcher(output);
            assertThat(m.find()).as(row + " in\n" + output).isTrue();
            double p50 = Double.parseDouble(m.group(1));
            double p95 = Double.parseDouble(m.group(2));
            assertThat(p95).as(row).isGreaterThanOrEqualTo(p50);
            assertThat(Integer.parseInt(m.group(3))).as(row).isEqualTo(fast ? 3 : 2);
            assertThat(Double.parseDouble(m.group(4))).as(row).isCloseTo(p95 / 1000, org.assertj.core.data.Offset
                    .offset(0.006));
        }
    }
}
