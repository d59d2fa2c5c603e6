package io.moescope.dashboard.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.suite.LayerSuite;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.MatrixHeatmapOption;
import java.util.List;
import java.util.stream.IntStream;

/** Chart options of the sequence analysis: routing consistency against its random baseline, co-activation. */
final class SequenceOptions {

    private SequenceOptions() {
    }

    /** Per layer: the share of consecutive token pairs that keep their first choice / share an expert, vs chance. */
    static ObjectNode consistency(MetricSuite suite) {
        List<LayerSuite> layers = suite.layers();
        return CartesianChartOption.builder()
                .setCategories(layers.stream().map(l -> String.valueOf(l.layer())).toList())
                .addSeries("same first choice", Style.BAR, figure(layers, c -> c.sameFirstChoice()))
                .addSeries("same first choice by chance (1/N)", Style.DASHED_LINE,
                        figure(layers, c -> c.sameFirstChoiceBaseline()))
                .addSeries("top-k sets intersect", Style.BAR, figure(layers, c -> c.topKIntersect()))
                .addSeries("intersect by chance", Style.DASHED_LINE, figure(layers, c -> c.topKIntersectBaseline()))
                .optTitle("Routing consistency per layer", "consecutive tokens (t, t+1) of one request; "
                        + suite.tokenSet() + "; above the dashed baseline = more temporal locality than random")
                .optAxisNames("layer", "fraction of consecutive token pairs").optYMax(1).build().toOption();
    }

    /** True when no layer has a consecutive pair: the chart would be empty. */
    static boolean noConsistency(MetricSuite suite) {
        return suite.layers().stream().allMatch(l -> l.consistency().value() == null);
    }

    static MatrixHeatmapOption coActivation(MetricSuite.CoActivation co, String tokenSet) {
        List<String> experts = IntStream.range(0, co.matrix().length).mapToObj(String::valueOf).toList();
        return MatrixHeatmapOption.builder().setMatrix(experts, experts, co.matrix()).optSequential(0, 1)
                .optTitle("Co-activation at layer " + co.layer(), tokenSet + "; cell = P(b in top-k | a in top-k); "
                        + "a row of an expert never chosen is 0")
                .optNames("expert b", "expert a", "P(b | a)").build();
    }

    private static double[] figure(List<LayerSuite> layers,
                                   java.util.function.ToDoubleFunction<LayerSuite.Consistency> value) {
        return layers.stream().mapToDouble(l -> {
            Defined<LayerSuite.Consistency> c = l.consistency();
            return c.value() == null ? Double.NaN : value.applyAsDouble(c.value());
        }).toArray();
    }
}
