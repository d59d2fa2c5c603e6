package io.moescope.analytics.summary;

import io.moescope.analytics.collapse.NormalisedEntropy;
import io.moescope.analytics.imbalance.MaxVio;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;

/**
 * The load picture of one layer over a set of tokens: counts, shares and the headline metrics computed from them.
 *
 * @param layer             decoder layer index
 * @param counts            c_i per expert
 * @param shares            p_i = c_i / C per expert
 * @param maxVio            see {@link MaxVio}
 * @param normalisedEntropy see {@link NormalisedEntropy}
 */
public record LayerLoadMetrics(int layer, long[] counts, double[] shares, double maxVio, double normalisedEntropy) {

    /** @throws IllegalArgumentException when the load holds no routed token */
    public static LayerLoadMetrics of(ExpertLoad load) {
        return new LayerLoadMetrics(load.layer(), load.counts(), load.shares(), MaxVio.of(load),
                NormalisedEntropy.of(load));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerLoadMetrics other && layer == other.layer
                && Arrays.equals(counts, other.counts) && Arrays.equals(shares, other.shares)
                && Double.compare(maxVio, other.maxVio) == 0
                && Double.compare(normalisedEntropy, other.normalisedEntropy) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + layer;
    }

    @Override
    public String toString() {
        return "LayerLoadMetrics[layer=" + layer + ", counts=" + Arrays.toString(counts) + ", maxVio=" + maxVio
                + ", normalisedEntropy=" + normalisedEntropy + "]";
    }
}
