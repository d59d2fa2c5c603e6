package io.moescope.analytics.alerting;

import java.time.Instant;

/**
 * One step of an alert's lifecycle, as stored in the history and sent to the webhook.
 *
 * @param ruleId   the rule
 * @param rule     its name
 * @param subject  what breached: "runId" or "runId/layer L"
 * @param from     state before
 * @param to       state after
 * @param value    the metric value that caused the step (for a resolution without data: the last value seen)
 * @param at       when (the injected clock)
 * @param reason   why, in words: the breach or clear, "run ended (FINISHED)", "no data for longer than the 60 s
 *                 window"; null in history written before reasons were stored
 * @param evidence the sample {@code value} was measured on and the chance bound at its size; null where the value
 *                 was judged without one (history written before evidence was stored, a rule's deletion)
 */
public record AlertTransition(long ruleId, String rule, String subject, AlertState from, AlertState to, double value,
                              Instant at, String reason, Evidence evidence) {

    /** A step without evidence. */
    public AlertTransition(long ruleId, String rule, String subject, AlertState from, AlertState to, double value,
                           Instant at, String reason) {
        this(ruleId, rule, subject, from, to, value, at, reason, null);
    }

    /** A step without a stated reason. */
    public AlertTransition(long ruleId, String rule, String subject, AlertState from, AlertState to, double value,
                           Instant at) {
        this(ruleId, rule, subject, from, to, value, at, null);
    }
}
