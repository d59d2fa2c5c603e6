package io.moescope.analytics.suite;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.locality.RoutingConsistency;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The 95 % intervals of every {@link LoadFigure} of every layer, of each figure's mean over layers (the model
 * summary's headline), of each layer's routing consistency and of the model's (every layer's pairs pooled), from one
 * bootstrap over the token set's units: a
 * resample's layers come from the same drawn requests, as the real layers come from the same tokens, and a request's
 * consecutive pairs stay with it.
 *
 * @param layers    the suite's layers, in order
 * @param figures   the layers' figures; the model's are the first {@code modelFigures}
 * @param modelFigures how many figures the model summary aggregates
 * @param resamples the bootstrap's values (load figures, model means, consistency shares per layer and pooled), or
 *                  undefined with the reason (fewer than 2 units)
 */
record LoadIntervals(List<Integer> layers, List<LoadFigure> figures, int modelFigures,
                     Defined<Bootstrap.Resamples> resamples) {

    /** A routing-consistency share under its JSON name, computed by {@link RoutingConsistency}. */
    private record Share(String name, ToDoubleFunction<RoutingConsistency> of) {
    }

    // N and k enter the random baselines only, never a share: the resampled pairs are built with N = k = 1
    private static final List<Share> CONSISTENCY = List.of(
            new Share("sameFirstChoice", RoutingConsistency::sameFirstChoiceShare),
            new Share("topKIntersect", RoutingConsistency::intersectingShare));

    /**
     * @param layers the suite's layers with routed tokens, in order
     * @param tau    dead-expert threshold as a fraction of 1/N
     */
    static LoadIntervals of(ResamplingUnits units, List<Integer> layers, double tau) {
        List<LoadFigure> figures = LoadFigure.ofLayer(tau);
        int modelFigures = LoadFigure.ofModel(tau).size();
        return new LoadIntervals(List.copyOf(layers), figures, modelFigures, Defined.compute(
                () -> Bootstrap.resample(units, resample -> values(resample, layers, figures, modelFigures))));
    }

    /**
     * Layer i's figure f at i * F + f, then the means over layers of the model's figures, then each layer's two
     * consistency shares, then the two shares of every layer's pairs pooled.
     */
    private static double[] values(Bootstrap.Resample resample, List<Integer> layers, List<LoadFigure> figures,
                                   int modelFigures) {
        int f = figures.size();
        int consistencyAt = layers.size() * f + modelFigures;
        int pooledAt = consistencyAt + CONSISTENCY.size() * layers.size();
        double[] values = new double[pooledAt + CONSISTENCY.size()];
        for (int i = 0; i < layers.size(); i++) {
            ExpertLoad load = resample.loads().get(layers.get(i));
            for (int j = 0; j < f; j++) {
                values[i * f + j] = figures.get(j).valueOrNaN(load);
            }
        }
        for (int m = 0; m < modelFigures; m++) {
            values[layers.size() * f + m] = meanOverLayers(values, m, f, layers.size());
        }
        long[] pooled = new long[3];
        for (int i = 0; i < layers.size(); i++) {
            long[] pairs = resample.pairs().get(layers.get(i));
            for (int c = 0; c < CONSISTENCY.size(); c++) {
                values[consistencyAt + i * CONSISTENCY.size() + c] = share(CONSISTENCY.get(c), pairs);
            }
            for (int p = 0; pairs != null && p < pooled.length; p++) {
                pooled[p] += pairs[p];
            }
        }
        for (int c = 0; c < CONSISTENCY.size(); c++) {
            values[pooledAt + c] = share(CONSISTENCY.get(c), pooled);
        }
        return values;
    }

    private static double meanOverLayers(double[] values, int figure, int figures, int layers) {
        double sum = 0;
        for (int i = 0; i < layers; i++) {
            sum += values[i * figures + figure];
        }
        return sum / layers;
    }

    /** NaN where the resample drew no pair at the layer. */
    private static double share(Share share, long[] pairs) {
        return pairs == null || pairs[0] == 0 ? Double.NaN
                : share.of().applyAsDouble(new RoutingConsistency(-1, 1, 1, pairs[0], pairs[1], pairs[2]));
    }

    /** The intervals of one of the suite's layers, by figure name. */
    Map<String, Defined<Interval>> ofLayer(int layer) {
        int i = layers.indexOf(layer);
        return named(figures.stream().map(LoadFigure::name).toList(), j -> i * figures.size() + j);
    }

    /** The intervals of the model's figures' means over layers, by figure name. */
    Map<String, Defined<Interval>> ofModel() {
        return named(figures.subList(0, modelFigures).stream().map(LoadFigure::name).toList(),
                m -> layers.size() * figures.size() + m);
    }

    /** The intervals of one of the suite's layers' routing-consistency shares, by name. */
    Map<String, Defined<Interval>> ofConsistency(int layer) {
        int at = layers.size() * figures.size() + modelFigures + layers.indexOf(layer) * CONSISTENCY.size();
        return named(CONSISTENCY.stream().map(Share::name).toList(), c -> at + c);
    }

    /** The intervals of the model's routing-consistency shares (every layer's pairs pooled), by name. */
    Map<String, Defined<Interval>> ofModelConsistency() {
        int at = layers.size() * figures.size() + modelFigures + layers.size() * CONSISTENCY.size();
        return named(CONSISTENCY.stream().map(Share::name).toList(), c -> at + c);
    }

    private Map<String, Defined<Interval>> named(List<String> names, IntUnaryOperator index) {
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        for (int j = 0; j < names.size(); j++) {
            int figure = index.applyAsInt(j);
            intervals.put(names.get(j), resamples.value() == null ? Defined.undefined(resamples.reason())
                    : Defined.compute(() -> resamples.value().interval(figure)));
        }
        return Collections.unmodifiableMap(intervals);
    }
}
