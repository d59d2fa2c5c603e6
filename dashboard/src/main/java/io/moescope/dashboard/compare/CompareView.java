package io.moescope.dashboard.compare;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.moescope.analytics.suite.RunComparison;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.PhaseChoice;
import io.moescope.dashboard.RunPicker;
import io.moescope.dashboard.RunText;
import io.moescope.dashboard.StatusLine;
import io.moescope.dashboard.charts.EChart;
import io.moescope.dashboard.charts.ExpertLoadHeatmap;
import io.moescope.dashboard.charts.MatrixHeatmapOption;
import io.moescope.platform.metrics.RunComparisonService;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;

/**
 * Compare: two runs side by side (e.g. the same prompts on a bf16 and an int4 model): their load heatmaps, per-layer
 * Jensen-Shannon divergence, top-k overlap on the tokens both saw, and the difference of shares. Read-only.
 */
@PermitAll
@Route(value = "compare", layout = MainLayout.class)
@PageTitle("Compare runs")
public class CompareView extends VerticalLayout implements BeforeEnterObserver {

    private final RunCatalog catalog;
    private final RunComparisonService comparisons;
    private final RunMetricsService metrics;
    private final RadioButtonGroup<PhaseChoice> phase = PhaseChoice.selector("compare-phase");
    private final StatusLine message = new StatusLine("compare-message");
    private final Div result = new Div();
    private ComboBox<RunSummary> runA;
    private ComboBox<RunSummary> runB;

    public CompareView(RunCatalog catalog, RunComparisonService comparisons, RunMetricsService metrics) {
        this.catalog = catalog;
        this.comparisons = comparisons;
        this.metrics = metrics;
        setWidthFull();
        result.setWidthFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        result.removeAll();
        var query = event.getLocation().getQueryParameters();
        runA = RunPicker.of(catalog, "Run A", "run-a", query.getSingleParameter("a"));
        runB = RunPicker.of(catalog, "Run B", "run-b", query.getSingleParameter("b"));
        Button compare = new Button("Compare", click -> compare());
        compare.setId("compare");
        compare.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(runA, runB, compare);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        message.info("Choose two runs with the same number of experts (for top-k overlap, runs of the same "
                + "prompts), then press \"Compare\".");
        add(new H2("Compare runs"), form, phase, message, result);
        if (runA.getValue() != null && runB.getValue() != null) {
            compare();
        }
    }

    private void compare() {
        result.removeAll();
        if (runA.getValue() == null || runB.getValue() == null) {
            message.error("Choose both runs first.");
            return;
        }
        String a = runA.getValue().runId();
        String b = runB.getValue().runId();
        try {
            Optional<RunComparison> comparison = comparisons.compare(a, b, phase.getValue().phase());
            Optional<RunMetrics> ma = metrics.metrics(a, phase.getValue().phase());
            Optional<RunMetrics> mb = metrics.metrics(b, phase.getValue().phase());
            if (comparison.isEmpty() || ma.isEmpty() || mb.isEmpty()) {
                message.error("One of the runs no longer exists.");
                return;
            }
            show(comparison.get(), ma.get(), mb.get());
        } catch (IllegalArgumentException e) {
            message.error("Cannot compare: " + e.getMessage());
        }
    }

    private void show(RunComparison c, RunMetrics a, RunMetrics b) {
        String nameA = RunText.name(runA.getValue());
        String nameB = RunText.name(runB.getValue());
        if (c.layers().isEmpty()) {
            message.info("Neither run has routed tokens in this token set yet.");
            return;
        }
        message.info("A = " + nameA + ", B = " + nameB + ". " + RunText.count(c.tokensCompared())
                + " tokens appear in both runs (same request, position and token id)"
                + (c.tokensCompared() == 0 ? ": top-k overlap needs runs of the same prompts." : "."));
        HorizontalLayout sideBySide = new HorizontalLayout(heatmap("heatmap-a", "A: " + nameA, a),
                heatmap("heatmap-b", "B: " + nameB, b));
        sideBySide.setWidthFull();
        EChart divergence = new EChart(CompareText.divergence(c), "340px");
        divergence.setId("divergence-chart");
        EChart overlap = new EChart(CompareText.overlap(c), "340px");
        overlap.setId("overlap-chart");
        result.add(sideBySide, divergence, overlap);
        Optional<MatrixHeatmapOption> difference = CompareText.difference(a, b, "A", "B");
        if (difference.isPresent()) {
            EChart chart = new EChart(difference.get().toOption(), difference.get().suggestedHeight());
            chart.setId("difference-heatmap");
            result.add(chart);
        } else {
            result.add(new Paragraph("The runs share no MoE layer with routed tokens: no difference to draw."));
        }
    }

    private static Div heatmap(String id, String title, RunMetrics m) {
        Div box = new Div();
        box.setWidth("50%");
        if (m.layers().isEmpty()) {
            box.add(new Paragraph(title + ": no routed tokens in this token set."));
            return box;
        }
        ExpertLoadHeatmap option = ExpertLoadHeatmap.builder().setNumExperts(m.numExperts()).setLayers(m.layers())
                .optTitle(title).optSubtitle(m.tokenSet()).build();
        EChart chart = new EChart(option.toOption(), option.suggestedHeight());
        chart.setId(id);
        box.add(chart);
        return box;
    }

}
