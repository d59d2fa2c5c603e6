package io.moescope.analytics.suite;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The 95 % intervals of every {@link LoadFigure} of every layer, and of each figure's mean over layers (the model
 * summary's headline), from one bootstrap over the token set's units: a resample's layers come from the same drawn
 * requests, as the real layers come from the same tokens.
 *
 * @param layers    the suite's layers, in order
 * @param figures   the layers' figures; the model's are the first {@code modelFigures}
 * @param modelFigures how many figures the model summary aggregates
 * @param resamples the bootstrap's values, or undefined with the reason (fewer than 2 units)
 */
record LoadIntervals(List<Integer> layers, List<LoadFigure> figures, int modelFigures,
                     Defined<Bootstrap.Resamples> resamples) {

    /**
     * @param layers the suite's layers with routed tokens, in order
     * @param tau    dead-expert threshold as a fraction of 1/N
     */
    static LoadIntervals of(ResamplingUnits units, List<Integer> layers, double tau) {
        List<LoadFigure> figures = LoadFigure.ofLayer(tau);
        int modelFigures = LoadFigure.ofModel(tau).size();
        return new LoadIntervals(List.copyOf(layers), figures, modelFigures, Defined.compute(
                () -> Bootstrap.resample(units, loads -> values(loads, layers, figures, modelFigures))));
    }

    /** Layer i's figure f at i * F + f, then the means over layers of the model's figures. */
    private static double[] values(Map<Integer, ExpertLoad> loads, List<Integer> layers, List<LoadFigure> figures,
                                   int modelFigures) {
        int f = figures.size();
        double[] values = new double[layers.size() * f + modelFigures];
        for (int i = 0; i < layers.size(); i++) {
            ExpertLoad load = loads.get(layers.get(i));
            for (int j = 0; j < f; j++) {
                values[i * f + j] = figures.get(j).valueOrNaN(load);
            }
        }
        for (int m = 0; m < modelFigures; m++) {
            double sum = 0;
            for (int i = 0; i < layers.size(); i++) {
                sum += values[i * f + m];
            }
            values[layers.size() * f + m] = sum / layers.size();
        }
        return values;
    }

    /** The intervals of one of the suite's layers, by figure name. */
    Map<String, Defined<Interval>> ofLayer(int layer) {
        int i = layers.indexOf(layer);
        return named(figures, j -> i * figures.size() + j);
    }

    /** The intervals of the model's figures' means over layers, by figure name. */
    Map<String, Defined<Interval>> ofModel() {
        return named(figures.subList(0, modelFigures), m -> layers.size() * figures.size() + m);
    }

    private Map<String, Defined<Interval>> named(List<LoadFigure> named, IntUnaryOperator index) {
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        for (int j = 0; j < named.size(); j++) {
            int figure = index.applyAsInt(j);
            intervals.put(named.get(j).name(), resamples.value() == null ? Defined.undefined(resamples.reason())
                    : Defined.compute(() -> resamples.value().interval(figure)));
        }
        return Collections.unmodifiableMap(intervals);
    }
}
