package io.moescope.analytics.alerting;

/** Where an alert of one rule and one subject stands. */
public enum AlertState {
    /** Not breached. */
    INACTIVE,
    /** Breached, for less than the rule's for-duration so far. */
    PENDING,
    /** Breached for at least the for-duration: notified. */
    FIRING,
    /** Was firing, now back past the clear threshold: notified; the next breach starts afresh. */
    RESOLVED
}
