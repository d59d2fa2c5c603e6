package io.moescope.dashboard.placement;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
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

    static String summary(PlacementAdvice a) {
        return String.format(Locale.ROOT, "%d GPUs, %d expert slots per layer, %d groups, %d nodes, %s policy (%s). "
                        + "Balancedness (mean / max GPU load, 1 = perfectly even): before %.3f on average, worst "
                        + "%.3f at layer %d; with this placement %.3f on average, worst %.3f at layer %d.",
                a.gpus(), a.replicas(), a.groups(), a.nodes(), a.policy(), a.tokenSet(),
                a.balancednessBefore().mean(), a.balancednessBefore().min(), a.balancednessBefore().minLayer(),
                a.balancednessAfter().mean(), a.balancednessAfter().min(), a.balancednessAfter().minLayer());
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
