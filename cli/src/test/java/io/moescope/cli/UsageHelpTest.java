package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class UsageHelpTest {

    /** Wide enough that every option's description stays on its option's line. */
    private static final int ONE_LINE_WIDTH = 2000;

    @Test
    void buildingTheCommandLineAndRenderingEveryUsageHelpPrintsNothingToStandardError() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EveryUsageHelp.class.getName())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Read to the end before waiting, so that a chatty child never blocks on a full pipe.
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(err).isEmpty();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void anOptionFromAMixinReadsTheSameInTheHelpOfEveryCommandThatTakesIt() {
        // mixin class -> option -> command -> the option's line of that command's --help
        Map<Class<?>, Map<String, Map<String, String>>> lines = new HashMap<>();
        for (CommandLine command : MoescopeCli.commandLine().getSubcommands().values()) {
            CommandSpec spec = command.getCommandSpec();
            command.setUsageHelpWidth(ONE_LINE_WIDTH).setUsageHelpLongOptionsMaxWidth(ONE_LINE_WIDTH / 2);
            List<String> help = command.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
            for (CommandSpec mixin : spec.mixins().values()) {
                for (OptionSpec option : mixin.options()) {
                    lines.computeIfAbsent(mixin.userObject().getClass(), c -> new TreeMap<>())
                            .computeIfAbsent(option.longestName(), o -> new TreeMap<>())
                            .put(spec.name(), optionLine(help, option).replaceAll("\\s+", " "));
                }
            }
        }

        assertThat(lines.get(PlatformKafkaOption.class).get("--bootstrap-servers"))
                .containsOnlyKeys("probe", "import", "replay", "tap");
        assertThat(lines.get(ScratchKafkaOption.class).get("--bootstrap-servers"))
                .containsOnlyKeys("bench", "bench-ingest", "bench-tap");
        assertThat(lines.get(PhaseOption.class).get("--phase")).containsOnlyKeys("metrics", "compare", "placement");
        assertThat(lines.get(CompressionOption.class).get("--compression"))
                .containsOnlyKeys("probe", "import", "replay", "tap", "bench", "bench-ingest");
        assertThat(lines.get(SpoolOption.class).get("--spool")).containsOnlyKeys("probe", "tap");
        lines.forEach((mixin, byOption) -> byOption.forEach((option, byCommand) ->
                assertThat(byCommand.values().stream().distinct())
                        .as("%s of %s in %s", option, mixin.getSimpleName(), byCommand.keySet())
                        .hasSize(1)));
    }

    /** The line of {@code help} that lists {@code option}, from its names on. */
    private static String optionLine(List<String> help, OptionSpec option) {
        return help.stream().map(String::strip)
                .filter(line -> List.of(option.names()).contains(line.split("[\\s=,]", 2)[0]))
                .findFirst().orElseThrow(() -> new AssertionError(option.longestName() + " not in " + help));
    }
}
