package io.moescope.dashboard.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.EChart;
import io.moescope.dashboard.charts.ExpertLoadHeatmap;
import io.moescope.platform.metrics.RunMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The load picture of a run over one token set, all from the rollups (fast even for large runs): scorecards,
 * heatmap, MaxVio per layer, and the per-layer table.
 */
class RunLoadPanel extends VerticalLayout {

    private final Paragraph tokenSet = new Paragraph();
    private final Scorecards scorecards = new Scorecards();
    private final EChart heatmap;
    private final EChart maxVio;
    private final LayerMetricsTable table;

    /** @param metrics at least one layer with routed tokens */
    RunLoadPanel(RunMetrics metrics, RoutingJudge rules) {
        setPadding(false);
        tokenSet.setId("token-set");
        ExpertLoadHeatmap heatmapOption = heatmap(metrics);
        heatmap = new EChart(heatmapOption.toOption(), heatmapOption.suggestedHeight());
        heatmap.setId("load-heatmap");
        maxVio = new EChart(maxVio(metrics), "300px");
        maxVio.setId("maxvio-chart");
        table = new LayerMetricsTable(metrics.layers());
        add(tokenSet, scorecards, heatmap, maxVio, new H3("Per-layer metrics"), table);
        setTokenSet(metrics);
        scorecards.show(ScorecardRows.of(metrics.layers(), rules));
    }

    void update(RunMetrics metrics, RoutingJudge rules) {
        setTokenSet(metrics);
        scorecards.show(ScorecardRows.of(metrics.layers(), rules));
        ExpertLoadHeatmap heatmapOption = heatmap(metrics);
        heatmap.setHeight(heatmapOption.suggestedHeight());
        heatmap.setOption(heatmapOption.toOption());
        maxVio.setOption(maxVio(metrics));
        table.setRows(metrics.layers());
    }

    private void setTokenSet(RunMetrics metrics) {
        tokenSet.setText("Token set: " + metrics.tokenSet() + ". " + metrics.layers().size() + " MoE layers, "
                + metrics.numExperts() + " experts, top-" + metrics.topK()
                + ". Share p_i = c_i / C: the fraction of a layer's routings that went to expert i.");
    }

    private static ExpertLoadHeatmap heatmap(RunMetrics metrics) {
        return ExpertLoadHeatmap.builder().setNumExperts(metrics.numExperts()).setLayers(metrics.layers())
                .optSubtitle(metrics.tokenSet()).build();
    }

    /**
     * The axis reaches MaxVio's upper bound N/k - 1 (every token on the same k experts): on an axis fitted to the
     * bars, a layer at 0.9 of a bound of 3 looked as bad as the worst possible.
     */
    static ObjectNode maxVio(RunMetrics metrics) {
        double[] values = metrics.layers().stream().mapToDouble(LayerLoadMetrics::maxVio).toArray();
        double bound = (double) metrics.numExperts() / metrics.topK() - 1;
        return CartesianChartOption.builder()
                .setCategories(metrics.layers().stream().map(l -> String.valueOf(l.layer())).toList())
                .addSeries("MaxVio", CartesianChartOption.Style.BAR, values)
                .optTitle("MaxVio per layer", metrics.tokenSet() + "; 0 = perfectly balanced, upper bound N/k - 1 = "
                        + BigDecimal.valueOf(bound).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
                                .toPlainString())
                .optAxisNames("layer", "MaxVio").optDecimals(3).optYMax(bound).build().toOption();
    }
}
