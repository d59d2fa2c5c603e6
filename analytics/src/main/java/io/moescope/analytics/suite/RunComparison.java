package io.moescope.analytics.suite;

import io.moescope.analytics.model.LayerAggregate;
import java.util.List;
import java.util.function.Function;

/**
 * Two runs compared layer by layer ({@code GET /api/compare}).
 *
 * @param a              first run
 * @param b              second run
 * @param tokenSet       which tokens of each run the figures cover
 * @param tokensCompared tokens present in both runs with the same request, index and token id (router saturation
 *                       is computed over these; 0 when the runs did not see the same prompts)
 * @param layers         per layer present in both runs
 * @param model          the layers aggregated (unweighted mean over the layers where the figure is defined, and
 *                       the worst layer: highest divergence, lowest overlap)
 */
public record RunComparison(String a, String b, String tokenSet, long tokensCompared, List<Layer> layers,
                            Model model) {

    /**
     * The comparison of the whole model. Every layer routes every token once, so the mean over layers is also
     * the token-weighted mean; the overlap is the mean over shared tokens and layers.
     *
     * @param jsdBits     Jensen-Shannon divergence in bits: mean over layers and the most divergent layer
     * @param topKOverlap router saturation: mean over layers and the layer with the lowest overlap
     */
    public record Model(Defined<LayerAggregate> jsdBits, Defined<LayerAggregate> topKOverlap) {

        /** @param separation both runs' (see {@link RequestSeparation#ofPair}): the overlap pairs their requests */
        public static Model of(List<Layer> layers, RequestSeparation separation) {
            return new Model(aggregate(layers, Layer::jsdBits, true),
                    separation.sequenceFigure(() -> aggregate(layers, Layer::topKOverlap, false)));
        }

        private static Defined<LayerAggregate> aggregate(List<Layer> layers, Function<Layer, Defined<Double>> figure,
                                                         boolean higherIsWorse) {
            List<Layer> defined = layers.stream().filter(l -> figure.apply(l).value() != null).toList();
            if (defined.isEmpty()) {
                return Defined.undefined("no layer where both runs define the figure");
            }
            return Defined.of(LayerAggregate.of(defined.stream().mapToInt(Layer::layer).toArray(),
                    defined.stream().mapToDouble(l -> figure.apply(l).value()).toArray(), higherIsWorse));
        }
    }

    /**
     * @param layer       decoder layer index
     * @param jsdNats     Jensen-Shannon divergence of the two load distributions, natural log (at most ln 2)
     * @param jsdBits     the same in bits (at most 1)
     * @param topKOverlap router saturation (OLMoE): mean over the shared tokens of |topk_a ∩ topk_b| / k;
     *                    undefined when either run's requests cannot be told apart (tokens matched by request and
     *                    position would be different prompts' tokens)
     */
    public record Layer(int layer, Defined<Double> jsdNats, Defined<Double> jsdBits, Defined<Double> topKOverlap) {
    }
}
