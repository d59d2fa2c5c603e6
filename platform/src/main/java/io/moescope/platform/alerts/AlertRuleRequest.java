package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A rule as the REST API takes it. Omitted: scope LAYER, comparison ABOVE, clearThreshold = threshold, window
 * 60 s, for 0 s, enabled.
 */
public record AlertRuleRequest(String name, String metric, String scope, String runId, Integer layer,
                               String comparison, Double threshold, Double clearThreshold, Long windowSeconds,
                               Long forSeconds, Boolean enabled) {

    /** @throws IllegalArgumentException naming the field that is wrong */
    AlertRule toRule(long id) {
        if (threshold == null) {
            throw new IllegalArgumentException("threshold: required");
        }
        return new AlertRule(id, name, AlertMetric.parse(metric),
                parse(AlertScope.class, "scope", scope, AlertScope.LAYER), runId, layer,
                parse(Comparison.class, "comparison", comparison, Comparison.ABOVE), threshold,
                clearThreshold == null ? threshold : clearThreshold,
                Duration.ofSeconds(windowSeconds == null ? 60 : windowSeconds),
                Duration.ofSeconds(forSeconds == null ? 0 : forSeconds), enabled == null || enabled);
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
