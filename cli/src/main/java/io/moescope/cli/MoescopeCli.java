package io.moescope.cli;

import io.moescope.ingest.NativeLz4;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The {@code moescope} command line: the platform, the probe and the tools around them. */
@Command(name = "moescope", mixinStandardHelpOptions = true, version = "moescope 0.1.0",
        description = "See inside Mixture-of-Experts inference: capture, store and analyse router decisions.",
        subcommands = {ServeCommand.class, DemoModelCommand.class, ProbeCommand.class, BenchCommand.class,
            MetricsCommand.class, CompareCommand.class, PlacementCommand.class, ImportCommand.class,
            ExportCommand.class, ReplayCommand.class, WarmupCommand.class, BenchIngestCommand.class, TapCommand.class,
            BenchTapCommand.class, BenchSpeedCommand.class, BenchMetricsCommand.class,
            CommandLine.HelpCommand.class})
public final class MoescopeCli {

    /** Read by logback when the first logger is created, so it must be set before anything logs. */
    private static final String LOGBACK_CONFIG = "logback.configurationFile";

    public static void main(String[] args) {
        if ((args.length == 0 || !args[0].equals("serve")) && System.getProperty(LOGBACK_CONFIG) == null) {
            System.setProperty(LOGBACK_CONFIG, "cli-logback.xml");
        }
        // DJL must never try to download an engine: libtorch comes unpacked from the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // Per-operator overhead dominates on small MoE checkpoints: one intra-op thread decodes ~10x faster than
        // two here. probe then chooses its own count from the model (IntraOpThreads, --threads); the other
        // commands keep this one unless -Dai.djl.pytorch.num_threads=N is in MOESCOPE_JAVA_OPTS.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        // Before any Kafka client or in-process broker picks its lz4 codec (see NativeLz4).
        NativeLz4.load();
        CommandLine cli = commandLine();
        int status = cli.execute(args);
        boolean serving = status == 0 && cli.getSubcommands().get("serve").getExecutionResult() != null;
        if (!serving) {
            System.exit(status);
        }
    }

    /** The command line with moescope's error reporting, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** As {@link #commandLine()}, its commands made by {@code factory} (tests: a command on a folder of theirs). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        return new CommandLine(new MoescopeCli(), factory).setExecutionExceptionHandler(new ErrorMessageHandler())
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionStrategy(MoescopeCli::checkBoundsThenRun);
    }

    /** Help first; then the options' bounds, before the command does any work (see {@link OptionBounds}). */
    private static int checkBoundsThenRun(ParseResult parseResult) {
        Integer help = CommandLine.executeHelpRequest(parseResult);
        if (help != null) {
            return help;
        }
        ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (leaf.commandSpec().userObject() instanceof OptionBounds.Bounded bounded) {
            try {
                bounded.checkBounds();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(leaf.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }
}
