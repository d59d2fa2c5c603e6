package io.moescope.analytics.suite;

import io.moescope.analytics.warmup.WarmupAccumulator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Parameters of the metric suite.
 *
 * @param detailLayer the layer of the per-layer detail (warm-up, co-activation, vocabulary); empty = the first
 * @param tau         dead-expert threshold as a fraction of 1/N
 * @param cache       C of the warm-up curve; empty = N / 2 (at least 1)
 * @param window      W tokens of the settling index and the stabilisation point
 */
public record SuiteOptions(OptionalInt detailLayer, double tau, OptionalInt cache, int window) {

    public static final double DEFAULT_TAU = 0.1;
    public static final int DEFAULT_WINDOW = 16;
    /** Settling tolerance of the windowed hit rate and the stabilisation JSD threshold (nats). */
    public static final double SETTLING_TOLERANCE = 0.05;
    public static final double STABILISATION_JSD = 0.05;
    /** The warm-up curve stops here: later token indices are past any cold start and would bloat the JSON. */
    public static final int MAX_CURVE_TOKENS = 1024;
    /** A settling window longer than this needs a run of over 2^17 tokens to settle at all; no use asks for it. */
    public static final int MAX_WINDOW = 65_536;

    public SuiteOptions {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1] but was " + tau);
        }
        if (cache.isPresent() && cache.getAsInt() < 1) {
            throw new IllegalArgumentException("cache must be >= 1 expert but was " + cache.getAsInt());
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be between 1 and " + MAX_WINDOW + " tokens but was "
                    + window);
        }
    }

    /**
     * The bounds that depend on the run, checked before any decision is read: the detail layer must be one of
     * its MoE layers and the simulated cache can hold at most every expert.
     *
     * @throws IllegalArgumentException naming the parameter and its bound
     */
    public void checkAgainst(int numExperts, List<Integer> moeLayers) {
        detailLayer.ifPresent(layer -> {
            if (!moeLayers.contains(layer)) {
                throw new IllegalArgumentException("layer must be one of the run's MoE layers " + moeLayers
                        + " but was " + layer);
            }
        });
        cache.ifPresent(c -> {
            if (c > numExperts) {
                throw new IllegalArgumentException("cache must be between 1 and " + numExperts
                        + " (the run's experts) but was " + c);
            }
        });
    }

    public static SuiteOptions defaults() {
        return new SuiteOptions(OptionalInt.empty(), DEFAULT_TAU, OptionalInt.empty(), DEFAULT_WINDOW);
    }

    /**
     * Whether these options give what {@link #defaults()} gives for a run of that shape: the defaults, or the same
     * values named (the first MoE layer as the detail layer, C = N / 2).
     */
    public boolean sameAsDefaultsFor(int firstMoeLayer, int numExperts) {
        return detailLayer.orElse(firstMoeLayer) == firstMoeLayer && tau == DEFAULT_TAU
                && cacheFor(numExperts) == defaults().cacheFor(numExperts) && window == DEFAULT_WINDOW;
    }

    /** Warm-up simulation at the detail layer: cache C (default N / 2, at least 1), capacities 1, 2, 4, ... N. */
    public WarmupAccumulator.Settings warmupSettings(int numExperts) {
        int c = cacheFor(numExperts);
        return new WarmupAccumulator.Settings(numExperts, c, WarmupAccumulator.Settings.doublingCapacities(numExperts),
                window, SETTLING_TOLERANCE, STABILISATION_JSD, MAX_CURVE_TOKENS);
    }

    /** C of the warm-up curve: the one asked for, else N / 2 (at least 1). */
    private int cacheFor(int numExperts) {
        return cache.orElse(Math.max(1, numExperts / 2));
    }
}
