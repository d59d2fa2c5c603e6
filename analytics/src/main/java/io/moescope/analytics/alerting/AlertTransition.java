package io.moescope.analytics.alerting;

import java.time.Instant;

/**
 * One step of an alert's lifecycle, as stored in the history and sent to the webhook.
 *
 * @param ruleId  the rule
 * @param rule    its name
 * @param subject what breached: "runId" or "runId/layer L"
 * @param from    state before
 * @param to      state after
 * @param value   the metric value that caused the step
 * @param at      when (the injected clock)
 */
public record AlertTransition(long ruleId, String rule, String subject, AlertState from, AlertState to, double value,
                              Instant at) {
}
