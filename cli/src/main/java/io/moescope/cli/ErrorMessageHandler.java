package io.moescope.cli;

import io.moescope.probe.checkpoint.CheckpointException;
import io.moescope.probe.run.PromptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints one clear line for the failures a user can fix (bad checkpoint, unreachable Kafka, unreadable file) and
 * keeps the stack trace for the ones that are bugs.
 */
final class ErrorMessageHandler implements IExecutionExceptionHandler {

    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parseResult) {
        var err = cli.getErr();
        if (e instanceof ServeCommand.AlreadyReportedException) {
            return CommandLine.ExitCode.SOFTWARE;
        }
        if (isUserError(e)) {
            err.println(cli.getColorScheme().errorText("moescope: " + e.getMessage()));
            return USER_ERROR;
        }
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static boolean isUserError(Exception e) {
        return e instanceof CheckpointException || e instanceof PromptFileException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException;
    }
}
