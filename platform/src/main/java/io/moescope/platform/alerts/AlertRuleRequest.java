package io.moescope.platform.alerts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A rule as the REST API and the Alerts form take it. Omitted: scope LAYER, comparison ABOVE, clearThreshold =
 * threshold, window 60 s, for 0 s, enabled. The window is at most an hour because the evaluator keeps its 1 s
 * buckets in memory for every live run (and a window past the earliest instant failed every evaluation); a breach
 * that must last over a day before it fires is no alert. Any other field is refused by name (ApiErrors), except the
 * {@code id} of a rule as {@link AlertRuleView} shows it, so that a rule read from the API can be sent back changed
 * (the path names the rule).
 */
@JsonIgnoreProperties("id")
public record AlertRuleRequest(String name, String metric, String scope, String runId, Integer layer,
                               String comparison, Double threshold, Double clearThreshold, Long windowSeconds,
                               Long forSeconds, Boolean enabled) {

    /** The longest window of a rule: an hour. */
    static final long MAX_WINDOW_SECONDS = 3600;
    /** The longest a breach may have to last before its alert fires: a day. */
    static final long MAX_FOR_SECONDS = 86_400;

    /** @throws IllegalArgumentException naming the field that is wrong */
    AlertRule toRule(long id) {
        if (threshold == null) {
            throw new IllegalArgumentException("threshold: required");
        }
        return new AlertRule(id, name, AlertMetric.parse(metric),
                parse(AlertScope.class, "scope", scope, AlertScope.LAYER), runId, layer,
                parse(Comparison.class, "comparison", comparison, Comparison.ABOVE), threshold,
                clearThreshold == null ? threshold : clearThreshold,
                Duration.ofSeconds(bounded("windowSeconds", windowSeconds, 60, 1, MAX_WINDOW_SECONDS,
                        " (its 1 s buckets are held in memory for every live run)")),
                Duration.ofSeconds(bounded("forSeconds", forSeconds, 0, 0, MAX_FOR_SECONDS, "")),
                enabled == null || enabled);
    }

    private static long bounded(String field, Long value, long otherwise, long min, long max, String why) {
        if (value == null) {
            return otherwise;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + why + " but was "
                    + value);
        }
        return value;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, E otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
