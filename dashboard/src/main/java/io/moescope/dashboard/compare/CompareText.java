package io.moescope.dashboard.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.suite.RunComparison;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.MatrixHeatmapOption;
import io.moescope.platform.metrics.RunMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/** The Compare view's charts: per-layer drift and overlap, and the difference of load shares. */
final class CompareText {

    private CompareText() {
    }

    /** Fitted to the values: runs that differ a little (0.01-0.04 bit) would be flat bars on a 0-1 bit axis. */
    static ObjectNode divergence(RunComparison c) {
        return perLayer(c, "Load divergence per layer (Jensen-Shannon)", "JS divergence (bits; 0 = same, 1 = disjoint)",
                "JS divergence", RunComparison.Layer::jsdBits).optYMaxFitted(1).build().toOption();
    }

    static ObjectNode overlap(RunComparison c) {
        return perLayer(c, "Top-k overlap per layer (router saturation)",
                "mean |top-k A ∩ top-k B| / k (1 = same experts)", "top-k overlap", RunComparison.Layer::topKOverlap)
                .optYMax(1).build().toOption();
    }

    private static CartesianChartOption.Builder perLayer(RunComparison c, String title, String yName, String series,
                                                         Function<RunComparison.Layer, Defined<Double>> figure) {
        double[] values = c.layers().stream().mapToDouble(l -> {
            Defined<Double> d = figure.apply(l);
            return d.value() == null ? Double.NaN : d.value();
        }).toArray();
        return CartesianChartOption.builder()
                .setCategories(c.layers().stream().map(l -> String.valueOf(l.layer())).toList())
                .addSeries(series, Style.BAR, values).optTitle(title, c.tokenSet())
                .optAxisNames("layer", yName);
    }

    /**
     * B's share minus A's share of every expert, in percentage points, for the layers both runs routed.
     *
     * @return empty when no layer is in both
     */
    static Optional<MatrixHeatmapOption> difference(RunMetrics a, RunMetrics b, String nameA, String nameB) {
        Map<Integer, LayerLoadMetrics> byLayerB = new TreeMap<>();
        b.layers().forEach(l -> byLayerB.put(l.layer(), l));
        var rows = new ArrayList<String>();
        var values = new ArrayList<double[]>();
        for (LayerLoadMetrics la : a.layers()) {
            LayerLoadMetrics lb = byLayerB.get(la.layer());
            if (lb == null) {
                continue;
            }
            double[] diff = new double[a.numExperts()];
            for (int e = 0; e < diff.length; e++) {
                diff[e] = (share(lb, e) - share(la, e)) * 100;
            }
            rows.add(String.valueOf(la.layer()));
            values.add(diff);
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<String> experts = IntStream.range(0, a.numExperts()).mapToObj(String::valueOf).toList();
        return Optional.of(MatrixHeatmapOption.builder()
                .setMatrix(rows, experts, values.toArray(double[][]::new)).optDiverging().optDecimals(2)
                .optTitle("Load share difference: " + nameB + " minus " + nameA,
                        a.tokenSet() + "; red = B routes more to the expert, blue = less")
                .optNames("expert", "layer", "share B - A (percentage points)").build());
    }

    private static double share(LayerLoadMetrics layer, int expert) {
        return expert < layer.shares().length ? layer.shares()[expert] : 0;
    }
}
