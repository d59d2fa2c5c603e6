package io.moescope.platform.alerts;

/** A run's health as its alerts say now: the worst latest state of any alert about the run or one of its layers. */
public enum RunHealth {
    /** An alert about the run is firing. */
    FIRING,
    /** An alert's condition holds but has not lasted its rule's "for" duration yet. */
    PENDING,
    /** No alert about the run is pending or firing (none ever did, or all resolved). */
    OK
}
