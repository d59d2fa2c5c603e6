package io.moescope.platform.metrics;

import io.moescope.analytics.coactivation.RouterSaturation;
import io.moescope.analytics.drift.LayerDrift;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.suite.Defined;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.RunComparison;
import io.moescope.events.Phase;
import io.moescope.storage.routing.RoutingReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Service;

/**
 * Compares two runs: per-layer drift (Jensen-Shannon divergence of the rolled-up loads) and, over the tokens both
 * runs saw at the same request and position with the same token id, router saturation / top-k overlap. The pairing
 * is a join in PostgreSQL, streamed through a cursor ({@link RoutingReader#forEachPair}).
 */
@Service
public class RunComparisonService {

    private final RolledUpLoads rollups;
    private final RoutingReader rows;

    RunComparisonService(RolledUpLoads rollups, RoutingReader rows) {
        this.rollups = rollups;
        this.rows = rows;
    }

    /**
     * @return empty when either run is unknown
     * @throws IllegalArgumentException when the runs have different numbers of experts
     */
    public Optional<RunComparison> compare(String a, String b, Optional<Phase> phase) {
        var shapeA = rollups.shape(a);
        var shapeB = rollups.shape(b);
        if (shapeA.isEmpty() || shapeB.isEmpty()) {
            return Optional.empty();
        }
        int n = shapeA.get().numExperts();
        if (n != shapeB.get().numExperts()) {
            throw new IllegalArgumentException("run " + a + " has " + n + " experts per layer and run " + b + " has "
                    + shapeB.get().numExperts() + ": their loads cannot be compared");
        }
        // Tokens are matched by request and position: meaningless where either run's requests are not told apart.
        RequestSeparation separation = RequestSeparation.ofPair(a,
                RequestSeparation.of(shapeA.get().requestsNotSeparable()), b,
                RequestSeparation.of(shapeB.get().requestsNotSeparable()));
        Map<Integer, ExpertLoad> loadsA = byLayer(rollups.of(a, phase, n));
        Map<Integer, ExpertLoad> loadsB = byLayer(rollups.of(b, phase, n));
        var saturation = new RouterSaturation();
        long[] pairs = {0};
        rows.forEachPair(a, b, phase, (tokenA, tokenB) -> {
            saturation.add(tokenA, tokenB);
            pairs[0]++;
        });
        Map<Integer, Double> overlap = new TreeMap<>();
        saturation.results().forEach(o -> overlap.put(o.layer(), o.overlap()));
        var layers = new ArrayList<RunComparison.Layer>();
        var allLayers = new TreeSet<>(loadsA.keySet());
        allLayers.addAll(loadsB.keySet());
        for (int layer : allLayers) {
            ExpertLoad la = loadsA.get(layer);
            ExpertLoad lb = loadsB.get(layer);
            Defined<LayerDrift> drift = la == null || lb == null
                    ? Defined.undefined("layer " + layer + " has routed tokens in only one of the runs")
                    : Defined.compute(() -> LayerDrift.between(la, lb));
            Double o = overlap.get(layer);
            layers.add(new RunComparison.Layer(layer, map(drift, LayerDrift::nats), map(drift, LayerDrift::bits),
                    separation.sequenceFigure(() -> o != null ? Defined.of(o) : Defined.undefined("no token with"
                            + " the same request, index and id in both runs: router saturation needs the same"
                            + " prompts"))));
        }
        String set = TokenSet.wholeRun(a, phase).describe().replace("of the run", "of each run");
        return Optional.of(new RunComparison(a, b, set, pairs[0], layers,
                RunComparison.Model.of(layers, separation)));
    }

    private static Map<Integer, ExpertLoad> byLayer(List<ExpertLoad> loads) {
        Map<Integer, ExpertLoad> byLayer = new TreeMap<>();
        loads.forEach(l -> byLayer.put(l.layer(), l));
        return byLayer;
    }

    private static Defined<Double> map(Defined<LayerDrift> drift, ToDoubleFunction<LayerDrift> f) {
        return drift.value() == null ? Defined.undefined(drift.reason()) : Defined.of(f.applyAsDouble(drift.value()));
    }
}
