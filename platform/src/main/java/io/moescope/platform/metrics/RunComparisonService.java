package io.moescope.platform.metrics;

import io.moescope.analytics.coactivation.RouterSaturation;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.RunComparison;
import io.moescope.events.Phase;
import io.moescope.storage.routing.RoutingReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * Compares two runs: per-layer drift (Jensen-Shannon divergence of the rolled-up loads) and, over the tokens both
 * runs saw at the same request and position with the same token id, router saturation / top-k overlap, each with its
 * 95 % interval. The pairing is a join in PostgreSQL, streamed through a cursor ({@link RoutingReader#forEachPair});
 * the drift's intervals resample each run's units, read in one more pass over each run.
 */
@Service
public class RunComparisonService {

    private final RolledUpLoads rollups;
    private final RoutingReader pairs;
    private final RoutingRows rows;

    RunComparisonService(RolledUpLoads rollups, RoutingReader pairs, RoutingRows rows) {
        this.rollups = rollups;
        this.pairs = pairs;
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
        RequestSeparation separationA = RequestSeparation.of(shapeA.get().requestsNotSeparable());
        RequestSeparation separationB = RequestSeparation.of(shapeB.get().requestsNotSeparable());
        // Tokens are matched by request and position: meaningless where either run's requests are not told apart.
        RequestSeparation separation = RequestSeparation.ofPair(a, separationA, b, separationB);
        var saturation = new RouterSaturation();
        var shared = new SharedChoices();
        long[] compared = {0};
        pairs.forEachPair(a, b, phase, (tokenA, tokenB) -> {
            shared.add(tokenA.requestId(), saturation.add(tokenA, tokenB));
            compared[0]++;
        });
        Map<Integer, Double> overlap = new TreeMap<>();
        saturation.results().forEach(o -> overlap.put(o.layer(), o.overlap()));
        String set = TokenSet.wholeRun(a, phase).describe().replace("of the run", "of each run");
        return Optional.of(RunComparison.of(a, b, set, compared[0], byLayer(rollups.of(a, phase, n)),
                byLayer(rollups.of(b, phase, n)), overlap, separation, units(a, phase, n, separationA),
                units(b, phase, n, separationB), shared.units()));
    }

    private ResamplingUnits units(String run, Optional<Phase> phase, int n, RequestSeparation separation) {
        return rows.units(TokenSet.wholeRun(run, phase), separation, n);
    }

    private static Map<Integer, ExpertLoad> byLayer(List<ExpertLoad> loads) {
        Map<Integer, ExpertLoad> byLayer = new TreeMap<>();
        loads.forEach(l -> byLayer.put(l.layer(), l));
        return byLayer;
    }

    /**
     * Per request of the shared tokens, per layer, the top-k choices both runs made and the choices made, in request
     * order: the overlap's resampling units. The pairs come in no order, so every request's sums are kept until the
     * end (requests x layers x 2 counters).
     */
    private static final class SharedChoices {
        private final Map<String, Map<Integer, long[]>> byRequest = new TreeMap<>();

        /** @param sharedByLayer one token's {experts both runs chose, k} per layer */
        void add(String request, Map<Integer, long[]> sharedByLayer) {
            Map<Integer, long[]> sums = byRequest.computeIfAbsent(request, r -> new TreeMap<>());
            sharedByLayer.forEach((layer, shared) -> {
                long[] sum = sums.computeIfAbsent(layer, l -> new long[2]);
                sum[0] += shared[0];
                sum[1] += shared[1];
            });
        }

        ResamplingUnits units() {
            ResamplingUnits units = ResamplingUnits.requests(1);
            byRequest.values().forEach(units::acceptRatios);
            return units;
        }
    }
}
