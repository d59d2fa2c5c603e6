package io.moescope.platform.runs;

/**
 * Which runs the list keeps by alert health, as the health badge words it (see {@code RunHealth}); the database
 * decides through {@code run_health(run_id)} (V42), so filtering stays paged.
 */
public enum RunHealthFilter {
    /** Every run. */
    ANY,
    /** An alert about the run or one of its layers is firing. */
    FIRING,
    /** Nothing firing, but an alert's condition holds and has not lasted its rule's "for" duration yet. */
    PENDING,
    /** No alert pending or firing: never alerted, or every alert resolved. */
    OK
}
