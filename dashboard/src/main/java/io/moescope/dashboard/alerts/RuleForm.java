package io.moescope.dashboard.alerts;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.AbstractNumberField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.dashboard.RunPicker;
import io.moescope.platform.alerts.AlertRuleRequest;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import java.util.Optional;

/**
 * The fields of an alert rule. It checks nothing itself: the service validates and its message (naming the
 * field) is shown, so the form and the REST API refuse the same things with the same words.
 */
class RuleForm extends FormLayout {

    private final TextField name = new TextField("Name");
    private final Select<AlertMetric> metric = new Select<>();
    private final Select<AlertScope> scope = new Select<>();
    private final RunCatalog catalog;
    private final ComboBox<RunSummary> run;
    private final IntegerField layer = new IntegerField("Layer (empty = every layer)");
    private final Select<Comparison> comparison = new Select<>();
    private final NumberField threshold = new NumberField("Threshold");
    private final NumberField clearThreshold = new NumberField("Clear threshold (empty = threshold)");
    private final IntegerField windowSeconds = new IntegerField("Window (s)");
    private final IntegerField forSeconds = new IntegerField("Breached for at least (s)");
    private final Checkbox enabled = new Checkbox("Enabled");

    RuleForm(RunCatalog catalog) {
        this.catalog = catalog;
        // A run is chosen, not typed: a mistyped id made a rule that watched nothing.
        run = RunPicker.of(catalog, "Run (empty = every run)", "rule-run", Optional.empty());
        run.setClearButtonVisible(true);
        setId("rule-form");
        name.setId("rule-name");
        metric.setLabel("Metric");
        metric.setId("rule-metric");
        metric.setItems(AlertMetric.values());
        metric.setItemLabelGenerator(AlertMetric::id);
        scope.setLabel("Scope");
        scope.setId("rule-scope");
        scope.setItems(AlertScope.values());
        scope.setItemLabelGenerator(s -> switch (s) {
            case LAYER -> "each layer";
            case MODEL -> "model (worst layer)";
            case RUN -> "run (layers pooled)";
        });
        layer.setId("rule-layer");
        comparison.setLabel("Fires when the value is");
        comparison.setId("rule-comparison");
        comparison.setItems(Comparison.values());
        comparison.setItemLabelGenerator(c -> c == Comparison.ABOVE ? "above the threshold" : "below the threshold");
        threshold.setId("rule-threshold");
        clearThreshold.setId("rule-clear");
        windowSeconds.setId("rule-window");
        forSeconds.setId("rule-for");
        enabled.setId("rule-enabled");
        add(name, metric, scope, comparison, threshold, clearThreshold, windowSeconds, forSeconds, run, layer,
                enabled);
        clear();
    }

    /** Empty form for a new rule, with the API's defaults. */
    final void clear() {
        name.clear();
        metric.setValue(AlertMetric.MAX_VIO);
        scope.setValue(AlertScope.LAYER);
        run.clear();
        layer.clear();
        comparison.setValue(Comparison.ABOVE);
        threshold.clear();
        clearThreshold.clear();
        windowSeconds.setValue(60);
        forSeconds.setValue(0);
        enabled.setValue(true);
    }

    void edit(AlertRule rule) {
        name.setValue(rule.name());
        metric.setValue(rule.metric());
        scope.setValue(rule.scope());
        RunPicker.choose(run, catalog, rule.runId());
        layer.setValue(rule.layer());
        comparison.setValue(rule.comparison());
        threshold.setValue(rule.threshold());
        clearThreshold.setValue(rule.clearThreshold());
        windowSeconds.setValue((int) rule.window().toSeconds());
        forSeconds.setValue((int) rule.forDuration().toSeconds());
        enabled.setValue(rule.enabled());
    }

    /** @throws IllegalArgumentException naming a field that is not a number */
    AlertRuleRequest request() {
        requireNumber(threshold, "threshold");
        requireNumber(clearThreshold, "clearThreshold");
        requireNumber(layer, "layer");
        requireNumber(windowSeconds, "window");
        requireNumber(forSeconds, "for");
        return new AlertRuleRequest(name.getValue(), metric.getValue().id(), scope.getValue().name(),
                run.isEmpty() ? null : run.getValue().runId(), layer.getValue(),
                comparison.getValue().name(), threshold.getValue(), clearThreshold.getValue(),
                windowSeconds.getValue() == null ? null : windowSeconds.getValue().longValue(),
                forSeconds.getValue() == null ? null : forSeconds.getValue().longValue(), enabled.getValue());
    }

    /** A field holding text that is not a number reads as empty; say so instead of silently using a default. */
    private static void requireNumber(AbstractNumberField<?, ?> field, String name) {
        if (field.isInvalid()) {
            throw new IllegalArgumentException(name + ": not a number");
        }
    }
}
