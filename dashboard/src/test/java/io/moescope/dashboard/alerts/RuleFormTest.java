package io.moescope.dashboard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleFormTest {

    private static RunSummary run(String id) {
        return new RunSummary(id, "demo", "probe", "FINISHED", "m", "mixtral", 8, 2, 4, 4, 0, 0, Instant.EPOCH, null,
                10L, 10, 40, null, null, null);
    }

    private static AlertRule ruleFor(String runId) {
        return new AlertRule(1, "hot", AlertMetric.MAX_VIO, AlertScope.LAYER, runId, null, Comparison.ABOVE, 2.5, 2.5,
                Duration.ofSeconds(60), Duration.ZERO, true);
    }

    @Test
    void theRuleKeepsTheIdOfTheChosenRunAndNoneMeansEveryRun() {
        RunCatalog catalog = mock(RunCatalog.class);
        when(catalog.newest(500)).thenReturn(List.of(run("a"), run("b")));
        var form = new RuleForm(catalog);

        assertThat(form.request().runId()).isNull();
        form.edit(ruleFor("b"));
        assertThat(form.request().runId()).isEqualTo("b");
    }

    @Test
    void aRunOlderThanTheOfferedOnesOrNoLongerStoredStaysTheRulesRun() {
        RunCatalog catalog = mock(RunCatalog.class);
        when(catalog.newest(500)).thenReturn(List.of(run("a")));
        when(catalog.find("old")).thenReturn(Optional.of(run("old")));
        when(catalog.find("gone")).thenReturn(Optional.empty());
        var form = new RuleForm(catalog);

        form.edit(ruleFor("old"));
        assertThat(form.request().runId()).isEqualTo("old");
        form.edit(ruleFor("gone"));
        assertThat(form.request().runId()).isEqualTo("gone");
    }
}
