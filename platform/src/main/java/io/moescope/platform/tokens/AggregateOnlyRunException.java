package io.moescope.platform.tokens;

/** A run of counts without tokens was asked for its tokens (see {@link StoredTokens#requireTokens}). */
public class AggregateOnlyRunException extends RuntimeException {

    public AggregateOnlyRunException(String message) {
        super(message);
    }
}
