package io.moescope.platform.embedded;

/** An embedded server could not start; the message says why, the action what to do about it. */
public class EmbeddedServerException extends RuntimeException {

    private static final String DEFAULT_ACTION = "Free the port or the data folder, or configure "
            + "spring.datasource.url / spring.kafka.bootstrap-servers to use your own servers.";

    private final String action;

    public EmbeddedServerException(String message, Throwable cause) {
        this(message, DEFAULT_ACTION, cause);
    }

    public EmbeddedServerException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
