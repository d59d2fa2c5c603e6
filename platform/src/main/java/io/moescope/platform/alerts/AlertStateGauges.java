package io.moescope.platform.alerts;

import io.micrometer.core.instrument.Tags;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertTracker.ActiveAlerts;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alerts' states as gauges, so that Grafana shows what the Alerts view shows: {@value #NAME}{run,rule,state}
 * is how many subjects (layers, or the run) of the run the rule has pending or firing. Only live runs' active
 * alerts have a series, so its count is bounded by live runs x enabled rules x 2.
 */
class AlertStateGauges {

    static final String NAME = "moescope.alerts.active";

    private final ShownSeries shown;

    AlertStateGauges(ShownSeries shown) {
        this.shown = shown;
    }

    /** @param rules the evaluated rules, whose names label the series (rules of the same name add up) */
    void show(Map<ActiveAlerts, Integer> active, List<AlertRule> rules) {
        var names = new HashMap<Long, String>();
        rules.forEach(rule -> names.put(rule.id(), rule.name()));
        var series = new HashMap<Series, Double>();
        active.forEach((alerts, count) -> series.merge(new Series(NAME, Tags.of("run", alerts.run(),
                "rule", names.getOrDefault(alerts.ruleId(), "rule " + alerts.ruleId()),
                "state", alerts.state().name().toLowerCase(Locale.ROOT))), count.doubleValue(), Double::sum));
        shown.show(series);
    }
}
