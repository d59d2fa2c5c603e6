package io.moescope.platform.runs;

/** Which runs the list keeps by status, worded as the list shows it (see {@code RunText.status}). */
public enum RunStatusFilter {
    /** Every run. */
    ANY,
    /** Not ended, or ended with routing still in Kafka (fewer tokens stored than reported). */
    RUNNING,
    /** Ended normally with every reported token stored. */
    FINISHED,
    /** Ended with a failure, every reported token stored. */
    FAILED,
    /** Ended without an end event: nothing stored for it for longer than moescope.runs.abandoned-after. */
    ABANDONED
}
