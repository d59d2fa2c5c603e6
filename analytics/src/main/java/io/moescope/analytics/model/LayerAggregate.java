package io.moescope.analytics.model;

/**
 * One metric summarised over the layers of a model: the unweighted mean over layers (every layer has the same
 * number of routed tokens per token set, so weighting by tokens would change nothing) and the worst layer, because
 * one collapsed layer is the finding a mean hides.
 *
 * @param mean       unweighted mean over layers
 * @param worst      the worst layer's value (highest for imbalance, lowest for entropy-like metrics)
 * @param worstLayer the layer index holding it (the lowest index on ties)
 */
public record LayerAggregate(double mean, double worst, int worstLayer) {

    /**
     * @param layers          layer index per value
     * @param values          one value per layer
     * @param higherIsWorse   true for MaxVio, CV, Gini; false for entropy and effective experts
     * @throws IllegalArgumentException when there is no layer or the arrays differ in length
     */
    public static LayerAggregate of(int[] layers, double[] values, boolean higherIsWorse) {
        if (values.length == 0 || layers.length != values.length) {
            throw new IllegalArgumentException("need one value per layer and at least one layer, got "
                    + layers.length + " layers and " + values.length + " values");
        }
        double sum = 0;
        int worst = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            boolean worse = higherIsWorse ? values[i] > values[worst] : values[i] < values[worst];
            if (worse) {
                worst = i;
            }
        }
        return new LayerAggregate(sum / values.length, values[worst], layers[worst]);
    }
}
