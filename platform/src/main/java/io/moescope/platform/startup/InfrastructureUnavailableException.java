package io.moescope.platform.startup;

/** A server moescope needs (Kafka, PostgreSQL) cannot be reached; the message names it and its address. */
public class InfrastructureUnavailableException extends RuntimeException {

    private final String action;

    public InfrastructureUnavailableException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
