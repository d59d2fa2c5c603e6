package io.moescope.cli;

import picocli.CommandLine;

/**
 * Builds moescope's whole command line and renders every command's usage help, discarding it: what a start of
 * {@code moescope} and any {@code --help} do. Run as a process of its own by {@link UsageHelpTest}, because picocli's
 * tracer keeps the {@code System.err} of the moment its class was loaded.
 */
final class EveryUsageHelp {

    public static void main(String[] args) {
        render(MoescopeCli.commandLine());
    }

    static void render(CommandLine command) {
        command.getUsageMessage();
        command.getSubcommands().values().forEach(EveryUsageHelp::render);
    }
}
