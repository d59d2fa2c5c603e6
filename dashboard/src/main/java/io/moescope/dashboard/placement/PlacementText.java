package io.moescope.dashboard.placement;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.dashboard.IntervalText;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.platform.placement.PlacementAdvice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How the Placement view words and draws an EPLB plan. */
final class PlacementText {

    /** One GPU of a layer's plan, e.g. "0, 3 x2". */
    record GpuRow(int gpu, String experts) {
    }

    private PlacementText() {
    }

    /**
     * The plan in a sentence, each mean balancedness with its 95 % interval, e.g. "before 0.650 [0.583, 0.750] on
     * average", then how the intervals were computed or why there are none.
     */
    static String summary(PlacementAdvice a) {
        return String.format(Locale.ROOT, "%d GPUs, %d expert slots per layer, %d groups, %d nodes, %s policy (%s). "
                        + "Balancedness (mean / max GPU load, 1 = perfectly even): before %s on average, worst "
                        + "%.3f at layer %d; with this placement %s on average, worst %.3f at layer %d. %s",
                a.gpus(), a.replicas(), a.groups(), a.nodes(), a.policy(), a.tokenSet(),
                mean(a.balancednessBefore()), a.balancednessBefore().min(), a.balancednessBefore().minLayer(),
                mean(a.balancednessAfter()), a.balancednessAfter().min(), a.balancednessAfter().minLayer(),
                intervalsNote(a.balancednessBefore().interval95().get("mean")));
    }

    private static String mean(PlacementAdvice.Summary summary) {
        return IntervalText.withInterval(summary.mean(), summary.interval95().get("mean"),
                v -> String.format(Locale.ROOT, "%.3f", v));
    }

    // one bootstrap gives every interval of the plan, so one note speaks for all
    private static String intervalsNote(Defined<Interval> interval) {
        Interval i = interval.value();
        return i == null ? "No interval: " + interval.reason() + "."
                : String.format(Locale.ROOT, "%.0f %% intervals: this placement on resampled traffic, %s.",
                        i.level() * 100, i.method());
    }

    static ObjectNode balancednessChart(PlacementAdvice a) {
        return CartesianChartOption.builder()
                .setCategories(a.layers().stream().map(l -> String.valueOf(l.layer())).toList())
                .addSeries("before (experts in order, no replicas)", Style.BAR,
                        a.layers().stream().mapToDouble(PlacementAdvice.Layer::balancednessBefore).toArray())
                .addSeries("with the suggested placement", Style.BAR,
                        a.layers().stream().mapToDouble(PlacementAdvice.Layer::balancednessAfter).toArray())
                .optTitle("Predicted balancedness per layer", a.gpus() + " GPUs, " + a.replicas()
                        + " slots per layer; " + a.tokenSet())
                .optAxisNames("layer", "balancedness (mean / max GPU load)").optYMax(1).build().toOption();
    }

    /** Per GPU, the logical experts in its slots; an expert held twice on one GPU reads "e x2". */
    static List<GpuRow> gpuRows(PlacementAdvice.Layer layer) {
        var rows = new ArrayList<GpuRow>();
        if (layer == null) {
            return rows;
        }
        for (int g = 0; g < layer.gpuExperts().length; g++) {
            var counts = new TreeMap<Integer, Integer>();
            for (int expert : layer.gpuExperts()[g]) {
                counts.merge(expert, 1, Integer::sum);
            }
            rows.add(new GpuRow(g, counts.entrySet().stream()
                    .map(e -> e.getValue() == 1 ? String.valueOf(e.getKey()) : e.getKey() + " x" + e.getValue())
                    .collect(Collectors.joining(", "))));
        }
        return rows;
    }
}
