package io.moescope.events;

/** Where a run is in its life. */
public enum RunStatus {
    STARTED,
    FINISHED,
    FAILED
}
