package io.moescope.dashboard.run;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the scorecards show: per layer, the five figures an operator watches for imbalance and collapse, each
 * computed exactly as the alert rules compute it (the same {@link AlertMetric}, from the same rolled-up counts)
 * and judged by them.
 */
public final class ScorecardRows {

    /** The scorecard columns, in order, with their headers and formats. */
    public enum Figure {
        MAX_VIO(AlertMetric.MAX_VIO, "MaxVio", "%.3f"),
        CV(AlertMetric.CV, "CV", "%.3f"),
        NORMALISED_ENTROPY(AlertMetric.NORMALISED_ENTROPY, "Normalised entropy", "%.3f"),
        EFFECTIVE_EXPERTS(AlertMetric.EFFECTIVE_EXPERTS, "Effective experts", "%.2f"),
        DEAD_EXPERTS(AlertMetric.DEAD_EXPERTS, "Dead experts", "%.0f");

        private final AlertMetric metric;
        private final String header;
        private final String format;

        Figure(AlertMetric metric, String header, String format) {
            this.metric = metric;
            this.header = header;
            this.format = format;
        }

        public AlertMetric metric() {
            return metric;
        }

        public String header() {
            return header;
        }

        public String format(double value) {
            return String.format(Locale.ROOT, format, value);
        }
    }

    /** One figure of one layer: its value as shown and the rules' verdict. */
    public record Card(Figure figure, double value, String text, Verdict verdict) {
    }

    public record Row(int layer, List<Card> cards) {
    }

    private ScorecardRows() {
    }

    /** @param layers layers with at least one routed token */
    public static List<Row> of(List<LayerLoadMetrics> layers, RoutingJudge rules) {
        var rows = new ArrayList<Row>(layers.size());
        for (LayerLoadMetrics layer : layers) {
            ExpertLoad load = new ExpertLoad(layer.layer(), layer.counts());
            var cards = new ArrayList<Card>();
            for (Figure figure : Figure.values()) {
                double value = figure.metric().of(load);
                cards.add(new Card(figure, value, figure.format(value),
                        rules.judge(figure.metric(), load)));
            }
            rows.add(new Row(layer.layer(), List.copyOf(cards)));
        }
        return rows;
    }
}
