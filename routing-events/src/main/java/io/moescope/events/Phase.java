package io.moescope.events;

/** Whether a token was routed while the model read the prompt or while it generated. */
public enum Phase {
    PREFILL,
    DECODE
}
