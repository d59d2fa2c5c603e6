package io.moescope.dashboard.run;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.model.LayerAggregate;
import io.moescope.analytics.suite.LayerSuite;
import io.moescope.analytics.suite.ModelLoadSummary;
import io.moescope.dashboard.IntervalText;
import io.moescope.dashboard.RunText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What the evidence table of an analysed suite shows, as text: per layer the verdict with its reason, the sample it
 * rests on, and every load figure with its 95 % interval ("0.412 [0.301, 0.530]"), so that an operator sees
 * whether a figure past a threshold is evidence or sampling noise. An undefined interval is a dash with its reason,
 * never a number.
 */
final class LayerEvidenceRows {

    /** The suite's load figures, in the table's order, under their names in {@code interval95}. */
    enum Figure {
        MAX_VIO("maxVio", "MaxVio", "%.3f", 1, LayerSuite::maxVio, ModelLoadSummary::maxVio),
        CV("cv", "CV", "%.3f", 1, LayerSuite::cv, ModelLoadSummary::cv),
        GINI("gini", "Gini", "%.3f", 1, LayerSuite::gini, ModelLoadSummary::gini),
        NORMALISED_ENTROPY("normalisedEntropy", "Normalised entropy", "%.3f", 1, LayerSuite::normalisedEntropy,
                ModelLoadSummary::normalisedEntropy),
        EFFECTIVE_EXPERTS("effectiveExperts", "Effective experts", "%.2f", 1, LayerSuite::effectiveExperts,
                ModelLoadSummary::effectiveExperts),
        // A layer's count is whole; the model's is a mean over layers, which %.0f would round away.
        DEAD_EXPERTS("deadExperts", "Dead experts", "%.0f", 1, l -> l.deadExperts().deadCount(),
                ModelLoadSummary::deadExperts) {
            @Override
            String formatMean(double value) {
                return String.format(Locale.ROOT, "%.2f", value);
            }
        },
        DOMINANT_SHARE("dominantShare", "Dominant share", "%.2f %%", 100, l -> l.dominantShare().share(),
                ModelLoadSummary::dominantShare),
        // Only a layer reports its smallest share: the model summary has no mean of it.
        MIN_SHARE("minShare", "Min share", "%.2f %%", 100, LayerSuite::minShare, null);

        private final String key;
        private final String header;
        private final String format;
        private final double scale;
        private final ToDoubleFunction<LayerSuite> ofLayer;
        private final Function<ModelLoadSummary, LayerAggregate> ofModel;

        Figure(String key, String header, String format, double scale, ToDoubleFunction<LayerSuite> ofLayer,
               Function<ModelLoadSummary, LayerAggregate> ofModel) {
            this.key = key;
            this.header = header;
            this.format = format;
            this.scale = scale;
            this.ofLayer = ofLayer;
            this.ofModel = ofModel;
        }

        String header() {
            return header;
        }

        /** A layer's value, or a bound of its interval, as the table shows it (shares in per cent). */
        String format(double value) {
            return String.format(Locale.ROOT, format, value * scale);
        }

        /** A mean over layers, with a bound of its interval. */
        String formatMean(double value) {
            return format(value);
        }

        boolean inModel() {
            return ofModel != null;
        }
    }

    /**
     * One figure of one layer as shown.
     *
     * @param text    "value [low, high]", or the value and {@link IntervalText#NO_INTERVAL}
     * @param tooltip the interval's level and method, or why there is none
     */
    record Cell(String text, String tooltip) {
    }

    /**
     * @param status    the layer's verdict, for colour and sorting
     * @param verdict   the status in words
     * @param reason    the verdict's reason: the rule and measured value, or "too few to tell" with the bound
     * @param tokens    the tokens the figures rest on
     * @param decisions the decisions (tokens x k) the verdict rests on
     * @param intervals how the layer's intervals were computed, or why some are missing
     * @param cells     one per {@link Figure}, in its order
     */
    record Row(int layer, Verdict.Status status, String verdict, String reason, String tokens, String decisions,
               String intervals, List<Cell> cells) {
    }

    private LayerEvidenceRows() {
    }

    static List<Row> of(List<LayerSuite> layers) {
        return layers.stream().map(LayerEvidenceRows::row).toList();
    }

    /** The model's means over layers with their intervals and its worst verdict, in one line. */
    static String modelLine(Defined<ModelLoadSummary> model) {
        if (model.value() == null) {
            return "No model summary: " + model.reason();
        }
        ModelLoadSummary summary = model.value();
        var figures = new LinkedHashMap<String, Defined<Interval>>();
        var parts = new ArrayList<String>();
        for (Figure figure : Figure.values()) {
            if (figure.inModel()) {
                Defined<Interval> interval = interval(summary.interval95(), figure);
                figures.put(figure.header(), interval);
                parts.add(figure.header() + " " + IntervalText.withInterval(figure.ofModel.apply(summary).mean(),
                        interval, figure::formatMean));
            }
        }
        Verdict worst = summary.worstVerdict();
        return "Model, mean over layers (" + RunText.count(summary.tokens()) + " tokens): " + String.join(", ", parts)
                + "; " + intervalsNote(figures) + ". Worst layer " + worst.layer() + ": " + word(worst)
                + ", " + worst.reason() + ".";
    }

    private static Row row(LayerSuite layer) {
        var figures = new LinkedHashMap<String, Defined<Interval>>();
        var cells = new ArrayList<Cell>();
        for (Figure figure : Figure.values()) {
            Defined<Interval> interval = interval(layer.interval95(), figure);
            figures.put(figure.header(), interval);
            cells.add(new Cell(IntervalText.withInterval(figure.ofLayer.applyAsDouble(layer), interval, figure::format),
                    tooltip(interval, figure::format)));
        }
        Verdict verdict = layer.verdict();
        return new Row(layer.layer(), verdict.status(), word(verdict), verdict.reason(),
                RunText.count(layer.tokens()), RunText.count(verdict.decisions()), intervalsNote(figures),
                List.copyOf(cells));
    }

    private static Defined<Interval> interval(Map<String, Defined<Interval>> intervals, Figure figure) {
        return intervals.getOrDefault(figure.key, Defined.undefined("no interval was computed for " + figure.key));
    }

    private static String tooltip(Defined<Interval> interval, DoubleFunction<String> format) {
        Interval i = interval.value();
        return i == null ? "no interval: " + interval.reason()
                : level(i) + " interval " + format.apply(i.low()) + " to " + format.apply(i.high()) + ", " + i.method();
    }

    /**
     * How a set of intervals was computed ("95 % intervals by bootstrap over 12 requests"), then why any is missing:
     * one reason for all when none is defined (one bootstrap gives every figure its interval, so they fail together),
     * else the figures without one by reason.
     *
     * @param intervals by figure header, in the order shown
     */
    private static String intervalsNote(Map<String, Defined<Interval>> intervals) {
        var notes = new ArrayList<String>();
        intervals.values().stream().map(Defined::value).filter(Objects::nonNull)
                .map(i -> level(i) + " intervals by " + i.method())
                .distinct().forEach(notes::add);
        var missing = new LinkedHashMap<String, List<String>>();
        intervals.forEach((figure, interval) -> {
            if (interval.value() == null) {
                missing.computeIfAbsent(interval.reason(), reason -> new ArrayList<>()).add(figure);
            }
        });
        missing.forEach((reason, figures) -> notes.add(notes.isEmpty() && missing.size() == 1
                ? "no intervals: " + reason : "no interval for " + String.join(", ", figures) + ": " + reason));
        return String.join("; ", notes);
    }

    private static String level(Interval interval) {
        return String.format(Locale.ROOT, "%.0f %%", interval.level() * 100);
    }

    private static String word(Verdict verdict) {
        return verdict.status().name().toLowerCase(Locale.ROOT);
    }
}
