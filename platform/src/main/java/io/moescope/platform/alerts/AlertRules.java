package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.AlertRule;
import java.util.List;

/** The stored alert rules, for the services that judge a run by them ({@link AlertRuleService} keeps them). */
@FunctionalInterface
public interface AlertRules {

    /** Every rule, enabled or not, by id. */
    List<AlertRule> rules();
}
