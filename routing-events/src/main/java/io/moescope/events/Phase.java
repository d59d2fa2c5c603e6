package io.moescope.events;

import java.util.Locale;

/**
 * Whether a token was routed while the model read the prompt or while it generated, or that the trace cannot tell
 * (a log whose forward passes batch several prompts under one request id: a pass's tokens may be prompt chunks of
 * some and generated tokens of others).
 *
 * <p>{@link #code()} is the value stored in the database's {@code phase} columns: one mapping for every writer and
 * reader of them.
 */
public enum Phase {
    PREFILL(0),
    DECODE(1),
    UNKNOWN(2);

    private final int code;

    Phase(int code) {
        this.code = code;
    }

    /** The stored code: 0 = prefill, 1 = decode, 2 = unknown. */
    public int code() {
        return code;
    }

    /** The phase as traces, exports and the API's {@code phase} parameter write it: prefill, decode, unknown. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value for anything but a {@link #label()} (any case) */
    public static Phase ofLabel(String label) {
        for (Phase phase : values()) {
            if (phase.label().equalsIgnoreCase(label)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("phase is none of prefill, decode, unknown: '" + label + "'");
    }

    /** @throws IllegalArgumentException for a code that is none of the phases' */
    public static Phase ofCode(int code) {
        for (Phase phase : values()) {
            if (phase.code == code) {
                return phase;
            }
        }
        throw new IllegalArgumentException("phase code " + code + " is none of 0 (prefill), 1 (decode), 2 (unknown)");
    }
}
