package io.moescope.dashboard.run;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.dashboard.GridColumns;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** One row per MoE layer: imbalance and collapse figures over the token set the caller states. */
class LayerMetricsGrid extends Grid<LayerLoadMetrics> {

    LayerMetricsGrid(List<LayerLoadMetrics> layers) {
        super(LayerLoadMetrics.class, false);
        setId("layer-metrics");
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        addNumberColumn("Layer", l -> (double) l.layer(), "%.0f").setKey("layer");
        addNumberColumn("MaxVio", LayerLoadMetrics::maxVio, "%.3f").setKey("maxVio")
                .setTooltipGenerator(l -> "(max c_i - mean) / mean; 0 = perfectly balanced");
        addNumberColumn("Normalised entropy", LayerLoadMetrics::normalisedEntropy, "%.3f").setKey("entropy")
                .setTooltipGenerator(l -> "-sum p_i ln p_i / ln N; 1 = uniform, 0 = one expert");
        addNumberColumn("Min share", l -> minShare(l) * 100, "%.2f %%").setKey("minShare");
        addNumberColumn("Max share", l -> maxShare(l) * 100, "%.2f %%").setKey("maxShare");
        addNumberColumn("Unused experts", l -> (double) Arrays.stream(l.counts()).filter(c -> c == 0).count(),
                "%.0f").setKey("unused");
        GridColumns.fitToContent(this);
        setAllRowsVisible(true);
        setItems(layers);
    }

    void setLayers(List<LayerLoadMetrics> layers) {
        setItems(layers);
    }

    private Column<LayerLoadMetrics> addNumberColumn(String header, Function<LayerLoadMetrics, Double> value,
                                                     String format) {
        // Sorted on the number, shown as text: sorting the formatted text would put "10" before "9".
        return addColumn(l -> String.format(Locale.ROOT, format, value.apply(l))).setHeader(header)
                .setComparator(value::apply).setTextAlign(ColumnTextAlign.END).setResizable(true);
    }

    static double minShare(LayerLoadMetrics layer) {
        return Arrays.stream(layer.shares()).min().orElse(0);
    }

    static double maxShare(LayerLoadMetrics layer) {
        return Arrays.stream(layer.shares()).max().orElse(0);
    }
}
