package io.moescope.dashboard.warmup;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.PhaseChoice;
import io.moescope.dashboard.RunPicker;
import io.moescope.dashboard.StatusLine;
import io.moescope.dashboard.charts.EChart;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import io.moescope.platform.warmup.MeasuredWarmupService;
import io.moescope.platform.warmup.WarmupCurves;
import jakarta.annotation.security.PermitAll;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Warm-up: how fast an expert cache of a chosen size warms up from cold, per request, under LRU, LFU and Belady
 * (simulated from a run's routing), with the stabilisation point of the load marked; below, for probe runs with
 * experts offloaded, what the probe's cache measured (hit rate, miss load latencies). Read-only: viewers.
 */
@PermitAll
@Route(value = "warmup", layout = MainLayout.class)
@PageTitle("Warm-up")
public class WarmupView extends VerticalLayout implements BeforeEnterObserver {

    private final RunCatalog catalog;
    private final RunMetricsService metrics;
    private final WarmupCurves warmup;
    private final Select<Integer> layer = new Select<>();
    private final CheckboxGroup<Integer> sizes = new CheckboxGroup<>("Cache sizes C (experts resident per layer)");
    private final CheckboxGroup<CachePolicy> policies = new CheckboxGroup<>("Eviction policies");
    private final RadioButtonGroup<PhaseChoice> phase = PhaseChoice.selector("warmup-phase");
    private final StatusLine message = new StatusLine("warmup-message");
    private final Div result = new Div();
    private final MeasuredCacheSection measured;
    private ComboBox<RunSummary> run;

    public WarmupView(RunCatalog catalog, RunMetricsService metrics, WarmupCurves warmup,
                      MeasuredWarmupService measuredWarmup) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.warmup = warmup;
        this.measured = new MeasuredCacheSection(measuredWarmup);
        setWidthFull();
        layer.setLabel("Layer");
        layer.setId("warmup-layer");
        layer.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                measured.showLayer(change.getValue());
            }
        });
        sizes.setId("cache-sizes");
        policies.setId("policies");
        policies.setItems(CachePolicy.values());
        policies.setValue(EnumSet.allOf(CachePolicy.class));
        result.setWidthFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        result.removeAll();
        run = RunPicker.of(catalog, "Run", "warmup-run",
                event.getLocation().getQueryParameters().getSingleParameter("run"));
        run.addValueChangeListener(change -> chooseRun(change.getValue()));
        Button simulate = new Button("Simulate", click -> simulate());
        simulate.setId("simulate");
        simulate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(run, layer, simulate);
        form.setWrap(true);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new H2("Expert-cache warm-up"), form, sizes, policies, phase, message, result, measured);
        chooseRun(run.getValue());
        if (run.getValue() != null) {
            simulate();
        }
    }

    private void chooseRun(RunSummary chosen) {
        result.removeAll();
        Optional<RunMetrics> m = chosen == null ? Optional.empty() : metrics.metrics(chosen.runId(), Optional.empty());
        List<Integer> layers = m.map(x -> x.layers().stream().map(LayerLoadMetrics::layer).toList()).orElse(List.of());
        layer.setItems(layers);
        layer.setValue(layers.isEmpty() ? null : layers.get(0));
        List<Integer> offered = m.map(x -> WarmupCurves.defaultSizes(x.numExperts())).orElse(List.of());
        sizes.setItems(offered);
        // Preselect a quarter and a half of the experts: the range where offloading is interesting.
        int n = m.map(RunMetrics::numExperts).orElse(0);
        sizes.setValue(Set.copyOf(offered.stream().filter(s -> s == Math.max(1, n / 4) || s == Math.max(1, n / 2))
                .toList()));
        measured.showRun(chosen == null ? null : chosen.runId(), layer.getValue());
        message.info(chosen == null ? "Choose a run, a layer and cache sizes, then press \"Simulate\". Each request is "
                + "replayed through a simulated expert cache that starts empty."
                : layers.isEmpty() ? "This run has no routed tokens yet: nothing to simulate." : "");
    }

    private void simulate() {
        result.removeAll();
        if (run.getValue() == null || layer.getValue() == null) {
            message.error("Choose a run with routed tokens and a layer first.");
            return;
        }
        if (sizes.getValue().isEmpty() || policies.getValue().isEmpty()) {
            message.error("Choose at least one cache size and one policy.");
            return;
        }
        List<Integer> chosenSizes = sizes.getValue().stream().sorted().toList();
        Map<Integer, Defined<WarmupSummary>> curves;
        try {
            curves = warmup.curves(run.getValue().runId(), phase.getValue().phase(), layer.getValue(), chosenSizes)
                    .orElse(Map.of());
        } catch (IllegalArgumentException e) {
            message.error("Cannot simulate: " + e.getMessage());
            return;
        }
        Map<Integer, WarmupSummary> defined = new LinkedHashMap<>();
        curves.forEach((size, d) -> {
            if (d.value() != null) {
                defined.put(size, d.value());
            }
        });
        if (defined.isEmpty()) {
            message.error(curves.isEmpty() ? "The run no longer exists." : "No warm-up to show: "
                    + curves.values().iterator().next().reason());
            return;
        }
        show(defined);
    }

    private void show(Map<Integer, WarmupSummary> bySize) {
        Set<CachePolicy> chosen = policies.getValue();
        WarmupSummary any = bySize.values().iterator().next();
        message.info(any.stabilisation().mean() == null ? "The load distribution did not stabilise in any request "
                + "(requests shorter than twice the window of " + any.settings().window() + " tokens cannot)."
                : String.format(Locale.ROOT, "The load distribution stabilises at token %.1f on average (%d of %d "
                        + "requests), marked on the chart.", any.stabilisation().mean(), any.stabilisation().found(),
                any.stabilisation().requests()));
        EChart chart = new EChart(WarmupChart.option(bySize, chosen, layer.getValue(),
                phase.getValue().label() + " of " + run.getValue().runId()), "440px");
        chart.setId("warmup-chart");
        Grid<WarmupChart.Row> table = new Grid<>(WarmupChart.Row.class, false);
        table.setId("warmup-table");
        table.addThemeVariants(GridVariant.LUMO_COMPACT);
        table.addColumn(WarmupChart.Row::policy).setHeader("Policy");
        table.addColumn(WarmupChart.Row::size).setHeader("Cache size C");
        table.addColumn(WarmupChart.Row::hitRate).setHeader("Hit rate, all tokens [95 % interval]");
        table.addColumn(WarmupChart.Row::settling).setHeader("Hit rate settles at").setFlexGrow(3);
        GridColumns.fitToContent(table);
        table.setItems(WarmupChart.rows(bySize, chosen));
        table.setAllRowsVisible(true);
        result.add(chart, table);
    }
}
