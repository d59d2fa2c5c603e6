package io.moescope.analytics.suite;

import io.moescope.analytics.drift.LayerDrift;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.model.LayerAggregate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

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
     * Composes the comparison: per layer of either run the drift of the two loads and the overlap of the shared
     * tokens, each with its 95 % interval ({@link ComparisonIntervals}), then the model's aggregates.
     *
     * @param loadsA     run a's load per layer (the rollup's)
     * @param overlap    per layer, the mean top-k overlap over the shared tokens
     * @param separation both runs' (see {@link RequestSeparation#ofPair}): the overlap pairs their requests
     * @param unitsA     run a's resampling units (requests, or blocks of tokens or steps)
     * @param overlaps   the shared requests' units, per layer {shared choices, choices}
     */
    public static RunComparison of(String a, String b, String tokenSet, long tokensCompared,
                                   Map<Integer, ExpertLoad> loadsA, Map<Integer, ExpertLoad> loadsB,
                                   Map<Integer, Double> overlap, RequestSeparation separation,
                                   ResamplingUnits unitsA, ResamplingUnits unitsB, ResamplingUnits overlaps) {
        var allLayers = new TreeSet<>(loadsA.keySet());
        allLayers.addAll(loadsB.keySet());
        var intervals = ComparisonIntervals.of(List.copyOf(allLayers), unitsA, unitsB, overlaps);
        var layers = new ArrayList<Layer>();
        for (int layer : allLayers) {
            ExpertLoad la = loadsA.get(layer);
            ExpertLoad lb = loadsB.get(layer);
            Defined<LayerDrift> drift = la == null || lb == null
                    ? Defined.undefined("layer " + layer + " has routed tokens in only one of the runs")
                    : Defined.compute(() -> LayerDrift.between(la, lb));
            Double o = overlap.get(layer);
            layers.add(new Layer(layer, map(drift, LayerDrift::nats), map(drift, LayerDrift::bits),
                    separation.sequenceFigure(() -> o != null ? Defined.of(o) : Defined.undefined("no token with"
                            + " the same request, index and id in both runs: router saturation needs the same"
                            + " prompts")), sequenceIntervals(intervals.ofLayer(layer), separation)));
        }
        return new RunComparison(a, b, tokenSet, tokensCompared, layers,
                Model.of(layers, separation, sequenceIntervals(intervals.ofModel(), separation)));
    }

    /** The overlap's interval is undefined where the overlap is, with the same reason. */
    private static Map<String, Defined<Interval>> sequenceIntervals(Map<String, Defined<Interval>> intervals,
                                                                    RequestSeparation separation) {
        var result = new LinkedHashMap<>(intervals);
        result.computeIfPresent("topKOverlap", (name, interval) -> separation.sequenceFigure(() -> interval));
        return result;
    }

    private static Defined<Double> map(Defined<LayerDrift> drift, ToDoubleFunction<LayerDrift> f) {
        return drift.value() == null ? Defined.undefined(drift.reason()) : Defined.of(f.applyAsDouble(drift.value()));
    }

    /**
     * The comparison of the whole model. Every layer routes every token once, so the mean over layers is also
     * the token-weighted mean; the overlap is the mean over shared tokens and layers.
     *
     * @param jsdBits     Jensen-Shannon divergence in bits: mean over layers and the most divergent layer
     * @param topKOverlap router saturation: mean over layers and the layer with the lowest overlap
     * @param interval95  the 95 % intervals of the two means over layers
     */
    public record Model(Defined<LayerAggregate> jsdBits, Defined<LayerAggregate> topKOverlap,
                        Map<String, Defined<Interval>> interval95) {

        /** @param separation both runs' (see {@link RequestSeparation#ofPair}): the overlap pairs their requests */
        public static Model of(List<Layer> layers, RequestSeparation separation,
                               Map<String, Defined<Interval>> interval95) {
            return new Model(aggregate(layers, Layer::jsdBits, true),
                    separation.sequenceFigure(() -> aggregate(layers, Layer::topKOverlap, false)),
                    Map.copyOf(interval95));
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
     * @param interval95  the 95 % intervals of jsdBits and topKOverlap
     */
    public record Layer(int layer, Defined<Double> jsdNats, Defined<Double> jsdBits, Defined<Double> topKOverlap,
                        Map<String, Defined<Interval>> interval95) {

        public Layer {
            interval95 = Collections.unmodifiableMap(new LinkedHashMap<>(interval95));
        }
    }
}
