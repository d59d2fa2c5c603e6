package io.moescope.tap.capture;

import java.util.Locale;

/** What the tap did with one forwarded response: the {@code outcome} label of its responses counter. */
public enum Outcome {
    /** Routing decoded and recorded. */
    CAPTURED,
    /** Forwarded without routing to record: streamed, or the response carried none. */
    PASSED_THROUGH,
    /** The response carried routing the tap could not decode; the client got the engine's body unchanged. */
    DECODE_FAILED,
    /**
     * A 2xx body larger than {@code --max-response-bytes}: copied through to the client as it came, not decoded (its
     * routing, if any, is not recorded).
     */
    TOO_LARGE,
    /** The engine answered an error status, or did not answer (timeout, refused connection). */
    UPSTREAM_ERROR,
    /**
     * Routing located and the client answered, but not recorded: the recording was behind (its bound of responses
     * waiting was full) or the tap was stopping. Its routing was never decoded.
     */
    NOT_RECORDED;

    /**
     * The label value: {@code captured}, {@code passed_through}, {@code decode_failed}, {@code too_large},
     * {@code upstream_error}, {@code not_recorded}.
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
