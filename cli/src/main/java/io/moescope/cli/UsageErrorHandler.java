package io.moescope.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * A usage error (an unknown option, a value that is no number, a value out of its bound) is one line naming the
 * command and what is wrong, with where to read more: the whole usage help would bury the reason.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String command = cli.getCommandSpec().qualifiedName();
        cli.getErr().println(cli.getColorScheme().errorText(command + ": " + e.getMessage()
                + " (" + command + " --help lists the options)"));
        cli.getErr().flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }
}
