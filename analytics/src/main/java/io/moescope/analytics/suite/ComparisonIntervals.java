package io.moescope.analytics.suite;

import io.moescope.analytics.drift.LayerDrift;
import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 95 % intervals of a comparison of two runs: each layer's Jensen-Shannon divergence and its mean over layers,
 * by resampling both runs' units side by side (each run's requests, or blocks of tokens or steps where they cannot
 * be told apart); each layer's top-k overlap and its mean over layers, by resampling the requests whose tokens both
 * runs saw (each request's shared choices and choices per layer travel together). Each figure is computed as the
 * point figure is ({@link LayerDrift}; the overlap's ratio of shared choices to choices).
 *
 * @param layers  the comparison's layers, ascending
 * @param drift   per layer jsdBits, then their mean over layers; or undefined with the reason
 * @param overlap per layer topKOverlap, then their mean over layers; or undefined with the reason
 */
record ComparisonIntervals(List<Integer> layers, Defined<Bootstrap.Resamples> drift,
                           Defined<Bootstrap.Resamples> overlap) {

    /**
     * @param unitsA   run a's units, counts per layer
     * @param unitsB   run b's units
     * @param overlaps the shared requests' units, per layer {choices shared with the other run, choices}
     */
    static ComparisonIntervals of(List<Integer> layers, ResamplingUnits unitsA, ResamplingUnits unitsB,
                                  ResamplingUnits overlaps) {
        return new ComparisonIntervals(List.copyOf(layers),
                Defined.compute(() -> Bootstrap.resamplePaired(unitsA, unitsB, (a, b) -> withMean(layers,
                        layer -> drift(a.loads().get(layer), b.loads().get(layer))))),
                Defined.compute(() -> Bootstrap.resample(overlaps, r -> withMean(layers, r::ratio))));
    }

    /** A layer's figure in one resample, NaN where the resample holds none. */
    interface LayerFigure {
        double of(int layer);
    }

    /** Each layer's figure, then their mean over the layers where it is defined (placement's intervals too). */
    static double[] withMean(List<Integer> layers, LayerFigure figure) {
        double[] values = new double[layers.size() + 1];
        double sum = 0;
        int defined = 0;
        for (int i = 0; i < layers.size(); i++) {
            values[i] = figure.of(layers.get(i));
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                defined++;
            }
        }
        // the point figure's mean is over the layers where it is defined, as here
        values[layers.size()] = defined == 0 ? Double.NaN : sum / defined;
        return values;
    }

    private static double drift(ExpertLoad a, ExpertLoad b) {
        boolean both = a != null && b != null && a.total() > 0 && b.total() > 0;
        return both ? LayerDrift.between(a, b).bits() : Double.NaN;
    }

    /** One layer's intervals, by the comparison's figure names. */
    Map<String, Defined<Interval>> ofLayer(int layer) {
        return named(layers.indexOf(layer));
    }

    /** The intervals of the figures' means over layers. */
    Map<String, Defined<Interval>> ofModel() {
        return named(layers.size());
    }

    private Map<String, Defined<Interval>> named(int figure) {
        var intervals = new LinkedHashMap<String, Defined<Interval>>();
        intervals.put("jsdBits", interval(drift, figure));
        intervals.put("topKOverlap", interval(overlap, figure));
        return intervals;
    }

    /** One figure's interval, or the bootstrap's reason for having none (placement's intervals too). */
    static Defined<Interval> interval(Defined<Bootstrap.Resamples> resamples, int figure) {
        return resamples.value() == null ? Defined.undefined(resamples.reason())
                : Defined.compute(() -> resamples.value().interval(figure));
    }
}
