package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;

/**
 * All imbalance metrics of one layer over one token set S (the caller says which: window, request, run; phase).
 *
 * @param layer       decoder layer index
 * @param maxVio      {@link MaxVio}
 * @param cv          {@link CoefficientOfVariation}
 * @param gini        {@link Gini}
 * @param extremes    {@link ShareExtremes}
 */
public record LoadImbalance(int layer, double maxVio, double cv, double gini, ShareExtremes extremes) {

    /** @throws IllegalArgumentException when the load holds no routed token */
    public static LoadImbalance of(ExpertLoad load) {
        return new LoadImbalance(load.layer(), MaxVio.of(load), CoefficientOfVariation.of(load), Gini.of(load),
                ShareExtremes.of(load));
    }
}
