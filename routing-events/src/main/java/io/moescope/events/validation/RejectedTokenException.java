package io.moescope.events.validation;

import io.moescope.events.EventDecodingException;

/**
 * A record that decoded but is not a valid token routing (for its run's model, where known). An
 * {@link EventDecodingException}, so the error handler dead-letters it like an undecodable record instead of
 * retrying it.
 */
public class RejectedTokenException extends EventDecodingException {

    private final RejectReason reason;

    public RejectedTokenException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The reason of any dead-lettered failure: this exception's, or the codec's classified by its message. */
    public static RejectReason reasonOf(EventDecodingException exception) {
        if (exception instanceof RejectedTokenException rejected) {
            return rejected.reason();
        }
        String message = String.valueOf(exception.getMessage());
        if (message.startsWith("unknown schemaVersion") || message.startsWith("written with an unknown schema")) {
            return RejectReason.UNKNOWN_SCHEMA;
        }
        return RejectReason.UNDECODABLE;
    }
}
