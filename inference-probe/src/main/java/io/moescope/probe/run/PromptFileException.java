package io.moescope.probe.run;

/** A prompts file that cannot be used; the message names the file and, where it applies, the line. */
public class PromptFileException extends RuntimeException {

    public PromptFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public PromptFileException(String message) {
        super(message);
    }
}
