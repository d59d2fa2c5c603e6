package io.moescope.analytics.alerting;

/**
 * What a value judged by a rule rests on: its sample, and what sampling alone produces at that size. A value past the
 * threshold counts as a breach only when it is past the chance bound too ({@link AlertRule#breachedBy(double,
 * Evidence)}), so every step of an alert says how much data it was decided on.
 *
 * @param decisions   the decisions (tokens x k) of the load the value was measured on
 * @param chanceBound what a perfectly balanced router shows of the rule's metric at that many decisions, on the rule's
 *                    bad side: the 95th percentile of its samples for a rule that fires above, the 5th for one that
 *                    fires below ({@link io.moescope.analytics.evidence.BalancedRouter})
 */
public record Evidence(long decisions, double chanceBound) {
}
