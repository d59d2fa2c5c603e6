package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code moescope import} run as a user runs it: what it printed and the id of the run its summary names.
 *
 * @param printed the command's standard output
 * @param runId   the id in the summary's {@code -> run NAME (ID)} line
 */
record ImportedRun(String printed, String runId) {

    private static final Pattern RUN = Pattern.compile("-> run \\S+ \\(([0-9a-f-]{36})\\)");

    /** Runs {@code moescope import args}, which must succeed and name the run it stored. */
    static ImportedRun of(String... args) {
        var out = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        String[] command = new String[args.length + 1];
        command[0] = "import";
        System.arraycopy(args, 0, command, 1, args.length);

        assertThat(cli.execute(command)).isZero();

        Matcher run = RUN.matcher(out.toString());
        assertThat(run.find()).as("a run named in: %s", out).isTrue();
        return new ImportedRun(out.toString(), run.group(1));
    }
}
