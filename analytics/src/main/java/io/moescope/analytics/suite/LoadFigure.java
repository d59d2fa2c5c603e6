package io.moescope.analytics.suite;

import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.DominantShare;
import io.moescope.analytics.collapse.EffectiveExperts;
import io.moescope.analytics.collapse.NormalisedEntropy;
import io.moescope.analytics.imbalance.CoefficientOfVariation;
import io.moescope.analytics.imbalance.Gini;
import io.moescope.analytics.imbalance.MaxVio;
import io.moescope.analytics.imbalance.ShareExtremes;
import io.moescope.analytics.load.ExpertLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A figure of one layer's load as the suite reports it: its JSON name and its metric class, so that the model
 * summary, the intervals and the point figures all compute it with the same code.
 *
 * @param name          the figure's field name in the suite's JSON
 * @param of            the metric (throws IllegalArgumentException on a load without routed tokens)
 * @param higherIsWorse true for imbalance-like figures, false for entropy-like ones
 */
record LoadFigure(String name, ToDoubleFunction<ExpertLoad> of, boolean higherIsWorse) {

    /** The figures the model summary aggregates over layers, in its order. */
    static List<LoadFigure> ofModel(double tau) {
        return List.of(new LoadFigure("maxVio", MaxVio::of, true),
                new LoadFigure("cv", CoefficientOfVariation::of, true),
                new LoadFigure("gini", Gini::of, true),
                new LoadFigure("normalisedEntropy", NormalisedEntropy::of, false),
                new LoadFigure("effectiveExperts", EffectiveExperts::of, false),
                new LoadFigure("deadExperts", load -> DeadExperts.of(load, tau).deadCount(), true),
                new LoadFigure("dominantShare", load -> DominantShare.of(load).share(), true));
    }

    /** The model's figures, then the smallest share, which only a layer reports. */
    static List<LoadFigure> ofLayer(double tau) {
        var figures = new ArrayList<>(ofModel(tau));
        figures.add(new LoadFigure("minShare", load -> ShareExtremes.of(load).minShare(), false));
        return List.copyOf(figures);
    }

    /** NaN for a missing or empty load: a resample may draw no unit with a token routed at the layer. */
    double valueOrNaN(ExpertLoad load) {
        return load == null || load.total() == 0 ? Double.NaN : of.applyAsDouble(load);
    }
}
