package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Walks every numeric option of every command (mixins and hidden options included) with hostile values and
 * expects a usage error: exit code 2 and one line naming the command and the option, before any work (nothing is
 * reachable: a command that started would fail on its missing files or servers with another message).
 */
class HostileOptionsTest {

    /** Options for which every value of their type is valid, and why. */
    private static final Map<String, String> UNBOUNDED = Map.of("probe --seed", "every long is a seed");

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, Integer.class, long.class, Long.class);
    private static final Set<Class<?>> DECIMALS = Set.of(double.class, Double.class);

    private static final List<String> HOSTILE_INTEGERS = List.of("-1", "-9223372036854775808", "2147483647",
            "9223372036854775807", "99999999999999999999", "NaN", "1e3", "ten", "");
    private static final List<String> HOSTILE_DECIMALS = List.of("-1", "-0.5", "NaN", "Infinity", "-Infinity", "1e308",
            "ten", "");
    private static final List<String> HOSTILE_DURATIONS = List.of("PT-1S", "PT0S", "P100000D", "-1", "ten", "");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static Stream<Arguments> hostileValues() {
        List<Arguments> cases = new ArrayList<>();
        for (NumericOption numeric : numericOptions()) {
            for (String value : hostile(numeric.option())) {
                cases.add(Arguments.of(numeric.command(), numeric.name(), value));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} \"{2}\"")
    @MethodSource("hostileValues")
    void aHostileValueIsAOneLineUsageErrorNamingTheOption(String command, String option, String value) {
        int status = run(argsWith(command, option, value));

        String message = err.toString().strip();
        assertThat(status).as(message).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(message).startsWith("moescope " + command + ": ").contains(option).doesNotContain("\n", "\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void everyCommandWithNumericOptionsIsWalked() {
        assertThat(numericOptions().stream().map(NumericOption::command).distinct())
                .containsExactlyInAnyOrder("probe", "bench", "bench-ingest", "import", "replay", "metrics",
                        "placement", "tap", "bench-tap", "bench-speed", "bench-metrics");
    }

    @Test
    void everyNumericOptionHasABoundInTheDocumentation() throws IOException {
        String bounds = section(Files.readString(Path.of("..", "docs", "cli.md")), "## Bounds");
        for (NumericOption numeric : numericOptions()) {
            assertThat(bounds).as(numeric.command() + " " + numeric.name())
                    .contains("| `" + numeric.command() + "` | `" + numeric.name() + "` |");
        }
    }

    @Test
    void probeRefusesMoreThreadsThanTheMachineHasProcessors() {
        int processors = Runtime.getRuntime().availableProcessors();
        int status = run("probe", "--model", "absent", "--prompts", "absent.txt", "--threads",
                String.valueOf(processors + 1));
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope probe: --threads must be between 1 and " + processors
                + " but was " + (processors + 1) + " (moescope probe --help lists the options)");
    }

    @Test
    void benchRefusesAThreadCountAboveTheProcessorsInItsList() {
        int processors = Runtime.getRuntime().availableProcessors();
        int status = run("bench", "--intra-op-threads", "1," + (processors + 1));
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench: --intra-op-threads must be between 1 and "
                + processors + " but was " + (processors + 1) + " (moescope bench --help lists the options)");
    }

    @Test
    void benchRefusesARepeatedThreadCount() {
        int status = run("bench", "--intra-op-threads", "1,1");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench: --intra-op-threads must list 1 to 8 distinct"
                + " counts but was [1, 1] (moescope bench --help lists the options)");
    }

    @Test
    void probeRefusesANanTopPWithSamplingsRule() {
        int status = run("probe", "--model", "absent", "--prompts", "absent.txt", "--top-p", "NaN");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope probe: --top-p must be a number in (0, 1] but was NaN"
                + " (moescope probe --help lists the options)");
    }

    @Test
    void metricsRefusesATauOutsideTheSuitesBoundBeforeAskingThePlatform() {
        int status = run("metrics", "--run", "r", "--server", "http://127.0.0.1:1", "--tau", "1.5");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope metrics: --tau must be in [0, 1] but was 1.5"
                + " (moescope metrics --help lists the options)");
    }

    @Test
    void placementRefusesMoreGpusThanAnyModelHasExpertSlots() {
        int status = run("placement", "--run", "r", "--server", "http://127.0.0.1:1", "--gpus", "400000000");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope placement: --gpus must be between 1 and 524288 but"
                + " was 400000000 (moescope placement --help lists the options)");
    }

    @Test
    void importRefusesATopKAboveTheGivenNumberOfExperts() {
        int status = run("import", "absent.jsonl", "--num-experts", "8", "--top-k", "9");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope import: --top-k must be between 1 and 8 but was 9"
                + " (moescope import --help lists the options)");
    }

    @Test
    void benchIngestRefusesMoreConsumerThreadsThanPartitions() {
        int status = run("bench-ingest", "--partitions", "3", "--concurrency", "4");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench-ingest: --concurrency must be between 1 and 3"
                + " but was 4 (moescope bench-ingest --help lists the options)");
    }

    @Test
    void benchMetricsRefusesMoreExpertsChosenThanItHas() {
        int status = run("bench-metrics", "--experts", "8", "--top-k", "9");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench-metrics: --top-k must be between 1 and 8 but was"
                + " 9 (moescope bench-metrics --help lists the options)");
    }

    /** The shape's options are shared; the bound of --top-k is each command's own default of --experts. */
    @Test
    void benchIngestRefusesMoreExpertsChosenThanItsDefault64() {
        int status = run("bench-ingest", "--top-k", "65");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench-ingest: --top-k must be between 1 and 64 but was"
                + " 65 (moescope bench-ingest --help lists the options)");
    }

    @Test
    void tapRefusesAListenAddressWhosePortIsOutOfRange() {
        int status = run("tap", "--upstream", "http://127.0.0.1:1", "--engine", "vllm", "--model-config", "absent",
                "--listen", "0.0.0.0:65536");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope tap: --listen must be HOST:PORT with a port between 0"
                + " and 65535 but was 0.0.0.0:65536 (moescope tap --help lists the options)");
    }

    @Test
    void tapRefusesAnUpstreamThatIsNotAnHttpUrl() {
        int status = run("tap", "--upstream", "vllm:8000", "--engine", "vllm", "--model-config", "absent");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope tap: --upstream must be an http:// or https:// URL but"
                + " was vllm:8000 (moescope tap --help lists the options)");
    }

    @Test
    void tapRefusesAnUpstreamWithAQueryToWhichNoPathCouldBeAppended() {
        int status = run("tap", "--upstream", "http://vllm:8000?key=1", "--engine", "vllm", "--model-config",
                "absent");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope tap: --upstream must be the engine's base URL, without"
                + " a query or fragment (a request's path and query are appended to it), but was"
                + " http://vllm:8000?key=1 (moescope tap --help lists the options)");
    }

    @Test
    void tapRefusesAnEngineItDoesNotKnowNamingTheOnesItDoes() {
        int status = run("tap", "--upstream", "http://127.0.0.1:1", "--engine", "tgi", "--model-config", "absent");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope tap: --engine must be vllm or sglang but was tgi"
                + " (moescope tap --help lists the options)");
    }

    @Test
    void tapRefusesAModelConfigThatDoesNotExistNamingTheOption() {
        int status = run("tap", "--upstream", "http://127.0.0.1:1", "--engine", "vllm", "--model-config", "absent");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope tap: --model-config must be a readable file but was"
                + " absent: no such file or directory (moescope tap --help lists the options)");
    }

    @Test
    void importRefusesAModelConfigThatIsAFolderNamingTheOption(@TempDir Path folder) {
        int status = run("import", "--model-config", folder.toString(), "--bootstrap-servers", "127.0.0.1:1",
                "absent");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope import: --model-config must be a readable file but"
                + " was " + folder + ": a directory (moescope import --help lists the options)");
    }

    @Test
    void aValueThatIsNoNumberIsNamedOnOneLine() {
        int status = run("bench", "--rounds", "ten");
        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().strip()).isEqualTo("moescope bench: Invalid value for option '--rounds': 'ten' is"
                + " not an int (moescope bench --help lists the options)");
    }

    /** An option of a command; mixins' options are the command's too. */
    private record NumericOption(String command, OptionSpec option) {

        String name() {
            return option.longestName();
        }
    }

    private static List<NumericOption> numericOptions() {
        List<NumericOption> options = new ArrayList<>();
        for (CommandLine command : MoescopeCli.commandLine().getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                // a list of numbers (bench --intra-op-threads 1,2) is walked with hostile elements
                Class<?> type = option.isMultiValue() ? option.auxiliaryTypes()[0] : option.type();
                boolean numeric = INTEGERS.contains(type) || DECIMALS.contains(type) || type == Duration.class;
                if (numeric && !UNBOUNDED.containsKey(command.getCommandName() + " " + option.longestName())) {
                    options.add(new NumericOption(command.getCommandName(), option));
                }
            }
        }
        return options;
    }

    private static List<String> hostile(OptionSpec option) {
        if (DECIMALS.contains(option.type())) {
            return HOSTILE_DECIMALS;
        }
        return option.type() == Duration.class ? HOSTILE_DURATIONS : HOSTILE_INTEGERS;
    }

    /**
     * The command's required options and parameters with harmless values, servers that cannot be reached, and the
     * option under test.
     */
    private static String[] argsWith(String command, String option, String value) {
        CommandSpec spec = MoescopeCli.commandLine().getSubcommands().get(command).getCommandSpec();
        List<String> args = new ArrayList<>(List.of(command));
        for (OptionSpec required : spec.options().stream().filter(OptionSpec::required).toList()) {
            if (!required.longestName().equals(option)) {
                args.add(required.longestName());
                args.add(INTEGERS.contains(required.type()) ? "1" : "absent");
            }
        }
        spec.positionalParameters().stream().filter(PositionalParamSpec::required).forEach(p -> args.add("absent"));
        for (String server : List.of("--server", "--bootstrap-servers")) {
            if (spec.findOption(server) != null) {
                args.addAll(List.of(server, server.equals("--server") ? "http://127.0.0.1:1" : "127.0.0.1:1"));
            }
        }
        args.add(option + "=" + value);
        return args.toArray(String[]::new);
    }

    private int run(String... args) {
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
