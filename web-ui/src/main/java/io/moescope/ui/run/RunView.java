package io.moescope.ui.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.moescope.app.metrics.RunMetrics;
import io.moescope.app.metrics.RunMetricsService;
import io.moescope.app.runs.RunCatalog;
import io.moescope.app.runs.RunSummary;
import io.moescope.events.Phase;
import io.moescope.ui.LiveRefresh;
import io.moescope.ui.MainLayout;
import io.moescope.ui.RunText;
import io.moescope.ui.runs.RunsView;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;

/** One run: who it is, and how its router spread tokens over experts, per layer; refreshed while it arrives. */
@PermitAll
@Route(value = "runs/:runId", layout = MainLayout.class)
public class RunView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    public static final String RUN_ID = "runId";

    private final RunCatalog catalog;
    private final RunMetricsService metricsService;
    private final Div header = new Div();
    private final RadioButtonGroup<PhaseChoice> phase = new RadioButtonGroup<>("Tokens");
    private final Div body = new Div();
    private String runId = "";
    private String title = "Run";
    private RunSummary shown;
    private RunLoadPanel panel;

    public RunView(RunCatalog catalog, RunMetricsService metricsService) {
        this.catalog = catalog;
        this.metricsService = metricsService;
        phase.setId("phase");
        phase.setItems(PhaseChoice.values());
        phase.setItemLabelGenerator(PhaseChoice::label);
        phase.setValue(PhaseChoice.ALL);
        phase.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                render(shown);
            }
        });
        body.setWidthFull();
        add(header, phase, body);
        LiveRefresh.whileAttached(this, this::refreshIfChanged);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        runId = event.getRouteParameters().get(RUN_ID).orElse("");
        phase.setValue(PhaseChoice.ALL);
        Optional<RunSummary> run = catalog.find(runId);
        title = run.map(RunText::name).orElse("Unknown run");
        shown = null;
        panel = null;
        render(run.orElse(null));
    }

    @Override
    public String getPageTitle() {
        return title;
    }


    /** A finished run never changes, and an arriving one shows up as new counts in its summary. */
    private void refreshIfChanged() {
        Optional<RunSummary> run = catalog.find(runId);
        if (!run.equals(Optional.ofNullable(shown))) {
            render(run.orElse(null));
        }
    }

    private void render(RunSummary run) {
        shown = run;
        header.removeAll();
        if (run == null) {
            phase.setVisible(false);
            showMessage("unknown-run", "There is no run with id '" + runId + "'. It may have been deleted, or the "
                    + "link may be mistyped.");
            body.add(new RouterLink("Back to all runs", RunsView.class));
            return;
        }
        header.add(new RunHeader(run));
        phase.setVisible(true);
        Optional<RunMetrics> metrics = metricsService.metrics(runId, phase.getValue().phase());
        if (metrics.isEmpty() || metrics.get().layers().isEmpty()) {
            showMessage("no-decisions", noDecisionsText(run));
        } else if (panel == null) {
            body.removeAll();
            panel = new RunLoadPanel(metrics.get());
            body.add(panel);
        } else {
            // Update in place: re-creating the charts would re-initialise ECharts and flicker on every poll.
            panel.update(metrics.get());
        }
    }

    private String noDecisionsText(RunSummary run) {
        String which = phase.getValue() == PhaseChoice.ALL ? "" : " in the " + phase.getValue().label() + " phase";
        return RunText.isArriving(run)
                ? "No router decisions" + which + " yet. They appear here within seconds of arriving."
                : "This run recorded no router decisions" + which + ".";
    }

    private void showMessage(String id, String text) {
        panel = null;
        body.removeAll();
        Paragraph message = new Paragraph(text);
        message.setId(id);
        body.add(message);
    }

    /** The phase selector's choices; ALL covers prefill and decode together. */
    enum PhaseChoice {
        ALL("all tokens", null), PREFILL("prefill", Phase.PREFILL), DECODE("decode", Phase.DECODE);

        private final String label;
        private final Phase phase;

        PhaseChoice(String label, Phase phase) {
            this.label = label;
            this.phase = phase;
        }

        String label() {
            return label;
        }

        Optional<Phase> phase() {
            return Optional.ofNullable(phase);
        }
    }
}
