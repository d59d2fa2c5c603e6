package io.moescope.cli;

import io.moescope.platform.embedded.EmbeddedServerException;
import io.moescope.probe.checkpoint.CheckpointException;
import io.moescope.probe.run.PromptFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
        if (e instanceof EmbeddedServerException server) {
            // as serve's start-failure block says it (its exit status too): the cause, then what to do about it
            err.println(cli.getColorScheme().errorText("moescope: " + server.getMessage()));
            err.println(server.action());
            return CommandLine.ExitCode.SOFTWARE;
        }
        if (isUserError(e)) {
            err.println(cli.getColorScheme().errorText("moescope: " + message(e)));
            return USER_ERROR;
        }
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * The exception's message; a file-system exception without a reason (NoSuchFileException's message is the path
     * alone) gets what went wrong with the path.
     */
    private static String message(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (cause instanceof FileSystemException file && file.getReason() == null) {
            return file.getMessage() + ": " + whatWentWrong(file);
        }
        return e.getMessage();
    }

    private static String whatWentWrong(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        return e instanceof NotDirectoryException ? "not a directory" : e.getClass().getSimpleName();
    }

    private static boolean isUserError(Exception e) {
        return e instanceof CheckpointException || e instanceof PromptFileException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException;
    }
}
