package io.moescope.dashboard.run;

import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.dashboard.HtmlTable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One row per MoE layer: imbalance and collapse figures over the token set the caller states. Every column sorts,
 * on the number (sorting the text would put "10" before "9").
 *
 * <p>An {@link HtmlTable}, not a Vaadin grid (737 DOM nodes at 32 layers): see {@link LayerEvidenceTable}.
 */
class LayerMetricsTable extends HtmlTable<LayerLoadMetrics> {

    LayerMetricsTable(List<LayerLoadMetrics> layers) {
        super("layer-metrics", List.of(
                number("Layer", l -> l.layer(), "%.0f", null),
                number("MaxVio", LayerLoadMetrics::maxVio, "%.3f", "(max c_i - mean) / mean; 0 = perfectly balanced"),
                number("Normalised entropy", LayerLoadMetrics::normalisedEntropy, "%.3f",
                        "-sum p_i ln p_i / ln N; 1 = uniform, 0 = one expert"),
                number("Min share", l -> minShare(l) * 100, "%.2f %%", null),
                number("Max share", l -> maxShare(l) * 100, "%.2f %%", null),
                number("Unused experts", l -> Arrays.stream(l.counts()).filter(c -> c == 0).count(), "%.0f",
                        null)));
        setRows(layers);
    }

    private static Column<LayerLoadMetrics> number(String header, ToDoubleFunction<LayerLoadMetrics> value,
                                                   String format, String tooltip) {
        return new Column<LayerLoadMetrics>(header, Style.NUMBER,
                (l, td) -> td.text(String.format(Locale.ROOT, format, value.applyAsDouble(l))),
                Comparator.comparingDouble(value), tooltip);
    }

    static double minShare(LayerLoadMetrics layer) {
        return Arrays.stream(layer.shares()).min().orElse(0);
    }

    static double maxShare(LayerLoadMetrics layer) {
        return Arrays.stream(layer.shares()).max().orElse(0);
    }
}
