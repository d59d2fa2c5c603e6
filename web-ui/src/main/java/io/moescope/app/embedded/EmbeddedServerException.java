package io.moescope.app.embedded;

/** An embedded server could not start; the message says why and what to do. */
public class EmbeddedServerException extends RuntimeException {

    public EmbeddedServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
