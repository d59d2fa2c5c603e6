package io.moescope.probe.checkpoint;

/**
 * A checkpoint that cannot be used: the message names the file or tensor and what is wrong with it, so a user can fix
 * the directory without reading a stack trace.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
