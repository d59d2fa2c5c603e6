package io.moescope.platform.warmup;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * Expert-cache warm-up curves of one layer of a run for several cache sizes at once: one pass over the raw
 * decisions, each request simulated from a cold cache under LRU, LFU and Belady for every size (the same
 * simulation as the metric suite's warm-up, which covers one size). Undefined with the reason for a run whose
 * requests cannot be told apart, as the suite's warm-up is.
 */
@Service
public class WarmupCurves {

    private final RolledUpLoads rollups;
    private final RoutingRows rows;

    WarmupCurves(RolledUpLoads rollups, RoutingRows rows) {
        this.rollups = rollups;
        this.rows = rows;
    }

    /**
     * @param sizes cache sizes C, in experts
     * @return per size (in the given order) the warm-up summary, or why it is undefined; empty for an unknown run
     * @throws IllegalArgumentException when no size is given or one is outside [1, N]
     */
    public Optional<Map<Integer, Defined<WarmupSummary>>> curves(String runId, Optional<Phase> phase, int layer,
                                                                List<Integer> sizes) {
        return rollups.shape(runId).map(shape -> compute(runId, phase, layer, sizes, shape.numExperts(),
                RequestSeparation.of(shape.requestsNotSeparable())));
    }

    private Map<Integer, Defined<WarmupSummary>> compute(String runId, Optional<Phase> phase, int layer,
                                                         List<Integer> sizes, int n,
                                                         RequestSeparation separation) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("choose at least one cache size");
        }
        for (int size : sizes) {
            if (size < 1 || size > n) {
                throw new IllegalArgumentException("cache size " + size + " is outside 1.." + n
                        + " (the layer has " + n + " experts)");
            }
        }
        var accumulators = new LinkedHashMap<Integer, WarmupAccumulator>();
        for (int size : sizes) {
            accumulators.put(size, new WarmupAccumulator(new WarmupAccumulator.Settings(n, size, new int[] {size},
                    SuiteOptions.DEFAULT_WINDOW, SuiteOptions.SETTLING_TOLERANCE, SuiteOptions.STABILISATION_JSD,
                    SuiteOptions.MAX_CURVE_TOKENS)));
        }
        var request = new Object() {
            String id;
            List<int[]> sequence = new ArrayList<>();

            void end() {
                if (id != null) {
                    accumulators.values().forEach(a -> a.addRequest(sequence));
                    sequence = new ArrayList<>();
                }
            }
        };
        rows.forEach(TokenSet.wholeRun(runId, phase), token -> {
            if (!Objects.equals(request.id, token.requestId())) {
                request.end();
                request.id = token.requestId();
            }
            for (RouterDecision decision : token.decisions()) {
                if (decision.layer() == layer) {
                    request.sequence.add(decision.expertIds());
                }
            }
        });
        request.end();
        var result = new LinkedHashMap<Integer, Defined<WarmupSummary>>();
        accumulators.forEach((size, a) -> result.put(size,
                separation.sequenceFigure(() -> Defined.compute(a::result))));
        return result;
    }

    /** The sizes offered by default: 1, 2, 4, ... below N, then N. */
    public static List<Integer> defaultSizes(int numExperts) {
        return IntStream.of(WarmupAccumulator.Settings.doublingCapacities(numExperts)).boxed().toList();
    }
}
