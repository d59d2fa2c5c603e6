package io.moescope.dashboard.warmup;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.charts.EChart;
import io.moescope.platform.warmup.MeasuredWarmup;
import io.moescope.platform.warmup.MeasuredWarmupService;
import java.util.Locale;
import java.util.Optional;

/**
 * The measured side of the warm-up view: what the probe's expert cache did under offloading ({@code --expert-cache
 * C}), per layer, next to the simulation at the same C. Runs without offloading get a note on how to measure.
 */
final class MeasuredCacheSection extends Div {

    private final MeasuredWarmupService service;
    private MeasuredWarmup shown;

    MeasuredCacheSection(MeasuredWarmupService service) {
        this.service = service;
        setId("miss-latencies");
        setWidthFull();
    }

    /** Reads the run's measurements (a pass over its routing for the simulation) and shows them at the layer. */
    void showRun(String runId, Integer layer) {
        shown = runId == null ? null : service.warmup(runId).orElse(null);
        showLayer(layer);
    }

    /** Redraws the chart for another layer of the run already read. */
    void showLayer(Integer layer) {
        removeAll();
        add(new H3("Measured miss latencies (offloaded probe runs)"));
        if (shown == null || shown.offloading().value() == null) {
            add(howToMeasure(shown));
            return;
        }
        MeasuredWarmup.Offloading cache = shown.offloading().value();
        add(new Paragraph(String.format(Locale.ROOT, "The probe kept %d of %d experts per layer in memory (%s "
                        + "eviction) over %,d forward steps and loaded the rest from the checkpoint on a miss. It keeps "
                        + "one cache per layer warm across requests and its prefill touches each expert once, while the "
                        + "simulation starts every request cold: compare trends, not digits.", cache.capacity(),
                shown.numExperts(), cache.policy(), cache.steps())));
        Optional<MeasuredWarmup.Layer> chosen = shown.layers().stream().filter(l -> layer != null && l.layer() == layer)
                .findFirst().or(() -> shown.layers().stream().findFirst());
        chosen.ifPresent(l -> {
            EChart chart = new EChart(MeasuredCacheChart.option(shown, l), "400px");
            chart.setId("measured-chart");
            add(chart);
        });
        add(table());
    }

    private Grid<MeasuredCacheChart.Row> table() {
        Grid<MeasuredCacheChart.Row> table = new Grid<>(MeasuredCacheChart.Row.class, false);
        table.setId("measured-table");
        table.addThemeVariants(GridVariant.LUMO_COMPACT);
        table.addColumn(MeasuredCacheChart.Row::layer).setHeader("Layer").setWidth("80px").setFlexGrow(0);
        table.addColumn(MeasuredCacheChart.Row::accesses).setHeader("Accesses").setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::hitRate).setHeader("Hit rate, measured")
                .setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::simulated).setHeader("Hit rate, simulated at C").setFlexGrow(3);
        table.addColumn(MeasuredCacheChart.Row::misses).setHeader("Misses").setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::p50).setHeader("Load p50").setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::p95).setHeader("Load p95").setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::max).setHeader("Load max").setTextAlign(ColumnTextAlign.END);
        table.addColumn(MeasuredCacheChart.Row::read).setHeader("Read").setTextAlign(ColumnTextAlign.END);
        GridColumns.fitToContent(table);
        table.setItems(MeasuredCacheChart.rows(shown));
        table.setAllRowsVisible(true);
        return table;
    }

    private static Div howToMeasure(MeasuredWarmup warmup) {
        Div empty = new Div();
        empty.setId("measured-empty");
        String why = warmup == null ? "Choose a run." : "Nothing measured for this run: "
                + warmup.offloading().reason() + ".";
        empty.add(new Paragraph(why + " The curves above are simulated from routing alone."));
        empty.add(new Paragraph(new Span("To measure real miss latencies, probe a model with its experts offloaded: "),
                new Code("./moescope probe --expert-cache C ..."), new Span(" keeps C experts per layer in memory "
                        + "and times every load of the others from the checkpoint.")));
        return empty;
    }
}
