package io.moescope.dashboard.alerts;

import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Where alerts stand now, read off their lifecycle history: an alert is firing while its last step is FIRING. */
public final class AlertStates {

    private AlertStates() {
    }

    /**
     * @param history lifecycle steps, newest first (as the service returns them)
     * @return the FIRING steps of the alerts (rule and subject) whose latest step is FIRING, newest first
     */
    public static List<AlertTransition> firing(List<AlertTransition> history) {
        Set<String> seen = new HashSet<>();
        var firing = new ArrayList<AlertTransition>();
        for (AlertTransition step : history) {
            if (seen.add(step.ruleId() + "\u0000" + step.subject()) && step.to() == AlertState.FIRING) {
                firing.add(step);
            }
        }
        return firing;
    }
}
