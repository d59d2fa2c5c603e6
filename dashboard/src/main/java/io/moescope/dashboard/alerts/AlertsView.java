package io.moescope.dashboard.alerts;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.RunText;
import io.moescope.platform.alerts.AlertRuleRequest;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.alerts.WebhookNotifier;
import io.moescope.platform.runs.RunCatalog;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Alerts: what fires now, the rules (create, edit, enable/disable, delete), the lifecycle history, and the webhook.
 *
 * <p>Access: every signed-in user may read this view; changing rules and sending a test notification are admin
 * actions: their controls are shown to admins only, and every one of them goes through {@link #asAdmin}, which
 * checks the role again (a viewer's browser could still send the click).
 */
@PermitAll
@Route(value = "alerts", layout = MainLayout.class)
@PageTitle("Alerts")
public class AlertsView extends VerticalLayout {

    /** History rows shown; older steps stay in the database (and the API). */
    static final int HISTORY_LIMIT = 200;

    private final AlertRuleService rules;
    private final WebhookNotifier webhook;
    private final Clock clock;
    private final boolean admin;
    private final Grid<AlertTransition> firing = new Grid<>(AlertTransition.class, false);
    private final Grid<AlertRule> ruleGrid = new Grid<>(AlertRule.class, false);
    private final Grid<AlertTransition> history = new Grid<>(AlertTransition.class, false);
    private final RuleForm form;
    private final Span formTitle = new Span();
    private final Span ruleMessage = new Span();
    private final Span webhookResult = new Span();
    private final Div adminControls = new Div();
    private Long editing;
    private List<AlertTransition> lastHistory = List.of();

    public AlertsView(AlertRuleService rules, WebhookNotifier webhook, Clock clock,
            AuthenticationContext authentication, RunCatalog runs) {
        this.rules = rules;
        this.form = new RuleForm(runs);
        this.webhook = webhook;
        this.clock = clock;
        this.admin = authentication.hasRole("ADMIN");
        setWidthFull();
        configureFiring();
        configureRules();
        configureHistory();
        adminControls.setVisible(admin);
        add(new H2("Alerts"), new H3("Firing now"), firing, new H3("Rules"), ruleGrid, adminControls,
                new H3("History"), history, webhookSection());
        refreshRules();
        refreshAlerts();
        LiveRefresh.whileAttached(this, this::refreshAlerts);
    }

    private void configureFiring() {
        firing.setId("firing-alerts");
        firing.addThemeVariants(GridVariant.LUMO_COMPACT);
        firing.addColumn(AlertTransition::rule).setHeader("Rule").setKey("rule");
        firing.addColumn(AlertTransition::subject).setHeader("Subject (run / layer)").setFlexGrow(2).setKey("subject");
        firing.addColumn(t -> format(t.value())).setHeader("Value").setKey("value");
        firing.addColumn(t -> RunText.time(t.at())).setHeader("Firing since").setKey("since");
        GridColumns.fitToContent(firing);
        firing.setAllRowsVisible(true);
        firing.setEmptyStateText("Nothing is firing. Enabled rules are checked continuously against the live window "
                + "of every run that is streaming routing.");
    }

    private void configureRules() {
        ruleGrid.setId("alert-rules");
        ruleGrid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        ruleGrid.addColumn(AlertRule::name).setHeader("Name").setKey("name");
        ruleGrid.addColumn(r -> describe(r)).setHeader("Fires when").setFlexGrow(3).setKey("condition");
        ruleGrid.addColumn(r -> r.scope().name().toLowerCase(Locale.ROOT)
                + (r.layer() == null ? "" : " " + r.layer()) + (r.runId() == null ? "" : ", run " + r.runId()))
                .setHeader("Scope").setKey("scope");
        ruleGrid.addColumn(r -> r.window().toSeconds() + " s window, for " + r.forDuration().toSeconds() + " s")
                .setHeader("Timing").setKey("timing");
        ruleGrid.addColumn(r -> r.enabled() ? "enabled" : "disabled").setHeader("State").setKey("state");
        GridColumns.fitToContent(ruleGrid);
        ruleGrid.setAllRowsVisible(true);
        ruleGrid.setEmptyStateText("No rules: nothing is watched. Create one below.");
        ruleGrid.asSingleSelect().addValueChangeListener(change -> {
            if (change.getValue() != null) {
                editing = change.getValue().id();
                form.edit(change.getValue());
                formTitle.setText("Editing rule '" + change.getValue().name() + "'");
            }
        });

        Button save = new Button("Save rule", click -> asAdmin(this::save));
        save.setId("save-rule");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button newRule = new Button("New rule", click -> startNew());
        newRule.setId("new-rule");
        Button toggle = new Button("Enable / disable", click -> asAdmin(this::toggleSelected));
        toggle.setId("toggle-rule");
        Button delete = new Button("Delete", click -> asAdmin(this::deleteSelected));
        delete.setId("delete-rule");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        formTitle.setId("rule-form-title");
        ruleMessage.setId("rule-message");
        formTitle.setText("New rule");
        adminControls.add(formTitle, form, new HorizontalLayout(save, newRule, toggle, delete), ruleMessage);
    }

    private void configureHistory() {
        history.setId("alert-history");
        history.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        history.addColumn(t -> RunText.time(t.at())).setHeader("When").setKey("at");
        history.addColumn(AlertTransition::rule).setHeader("Rule").setKey("rule");
        history.addColumn(AlertTransition::subject).setHeader("Subject").setFlexGrow(2).setKey("subject");
        history.addColumn(t -> t.from().name().toLowerCase(Locale.ROOT) + " -> " + t.to().name().toLowerCase(Locale.ROOT))
                .setHeader("Step").setKey("step");
        history.addColumn(t -> format(t.value())).setHeader("Value").setKey("value");
        GridColumns.fitToContent(history);
        history.setHeight("320px");
        history.setEmptyStateText("No alert has changed state yet.");
    }

    private Div webhookSection() {
        Div section = new Div();
        section.setId("webhook");
        section.add(new H3("Webhook"));
        if (webhook.url().isPresent()) {
            section.add(new Paragraph(new Span("Firing and resolved alerts are posted as JSON to "),
                    new Code(webhook.url().get().toString()), new Span(", retried up to " + webhook.maxAttempts()
                            + " times with a doubling back-off.")));
        } else {
            section.add(new Paragraph(new Span("No webhook is configured, so alerts are only shown here and in the "
                    + "log. To be notified, start moescope with "), new Code("--moescope.alerts.webhook-url=https://..."),
                    new Span(" (or the environment variable MOESCOPE_ALERTS_WEBHOOK_URL).")));
        }
        Button test = new Button("Send test notification", click -> asAdmin(this::sendTest));
        test.setId("send-test");
        test.setVisible(admin);
        webhookResult.setId("webhook-result");
        section.add(new HorizontalLayout(test, webhookResult));
        return section;
    }

    /**
     * Runs an admin action: the one gate for changing rules and the webhook. Shows a refused action's reason (the
     * service's message, naming the field) instead of failing the page.
     */
    private void asAdmin(Runnable action) {
        if (!admin) {
            ruleMessage.setText("Only admins may change rules or send test notifications.");
            return;
        }
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            ruleMessage.setText("Not saved: " + e.getMessage());
            ruleMessage.getStyle().set("color", "var(--lumo-error-text-color)");
        }
    }

    private void save() {
        AlertRuleRequest request = form.request();
        AlertRule saved = editing == null ? rules.create(request)
                : rules.update(editing, request).orElseThrow(() -> new IllegalArgumentException(
                        "the rule was deleted meanwhile; press New rule to create it again"));
        ok("Saved rule '" + saved.name() + "'.");
        refreshRules();
        editing = saved.id();
        formTitle.setText("Editing rule '" + saved.name() + "'");
    }

    private void toggleSelected() {
        AlertRule rule = selected();
        var request = new AlertRuleRequest(rule.name(), rule.metric().id(), rule.scope().name(), rule.runId(),
                rule.layer(), rule.comparison().name(), rule.threshold(), rule.clearThreshold(),
                rule.window().toSeconds(), rule.forDuration().toSeconds(), !rule.enabled());
        rules.update(rule.id(), request);
        ok((rule.enabled() ? "Disabled" : "Enabled") + " rule '" + rule.name() + "'.");
        refreshRules();
    }

    private void deleteSelected() {
        AlertRule rule = selected();
        rules.delete(rule.id());
        ok("Deleted rule '" + rule.name() + "'.");
        startNew();
        refreshRules();
    }

    private void sendTest() {
        var ui = getUI().orElseThrow();
        webhookResult.setText("Sending...");
        webhook.sendTest(clock.instant()).thenAccept(result -> ui.access(() -> webhookResult.setText(
                "Test notification: " + result)));
    }

    private AlertRule selected() {
        return ruleGrid.asSingleSelect().getOptionalValue()
                .orElseThrow(() -> new IllegalArgumentException("select a rule in the list first"));
    }

    private void startNew() {
        editing = null;
        ruleGrid.asSingleSelect().clear();
        form.clear();
        formTitle.setText("New rule");
    }

    private void ok(String message) {
        ruleMessage.setText(message);
        ruleMessage.getStyle().set("color", "var(--lumo-success-text-color)");
    }

    private void refreshRules() {
        ruleGrid.setItems(rules.rules());
    }

    /** Cheap on every poll: one small query; the grids are only re-filled when a step was added. */
    private void refreshAlerts() {
        List<AlertTransition> steps = rules.history(HISTORY_LIMIT);
        if (!steps.equals(lastHistory)) {
            lastHistory = steps;
            history.setItems(steps);
            firing.setItems(AlertStates.firing(steps));
        }
    }

    static String describe(AlertRule rule) {
        String sign = rule.comparison().name().equals("ABOVE") ? ">" : "<";
        String clear = rule.clearThreshold() == rule.threshold() ? ""
                : " (resolves at " + format(rule.clearThreshold()) + ")";
        return rule.metric().id() + " " + sign + " " + format(rule.threshold()) + clear;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e12 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }
}
