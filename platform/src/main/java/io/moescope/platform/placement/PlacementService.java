package io.moescope.platform.placement;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.placement.Eplb;
import io.moescope.analytics.placement.EplbPlan;
import io.moescope.analytics.placement.PlacementShape;
import io.moescope.analytics.suite.PlacementIntervals;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.events.Phase;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.storage.runs.RunShapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.stereotype.Service;

/**
 * Placement advice: the EPLB algorithm over a run's rolled-up loads, with predicted balancedness before/after. The
 * plan and its figures come from the rollup (exact); their 95 % intervals resample the same token set's units, read
 * in one pass over its raw tokens or steps.
 */
@Service
public class PlacementService {

    private final RolledUpLoads rollups;
    private final RoutingRows rows;

    PlacementService(RolledUpLoads rollups, RoutingRows rows) {
        this.rollups = rollups;
        this.rows = rows;
    }

    /**
     * @param replicas physical slots per layer; empty = the smallest multiple of gpus that holds every expert
     * @return empty when the run is unknown
     * @throws IllegalArgumentException when the run has no routed token or the shape is out of its bounds
     *                                  ({@link PlacementShape}), checked before any load is read
     */
    public Optional<PlacementAdvice> advise(String runId, Optional<Phase> phase, int gpus, OptionalInt replicas,
                                            int groups, int nodes) {
        return rollups.shape(runId).map(shape -> {
            var request = PlacementShape.of(shape.numExperts(), gpus, replicas, groups, nodes);
            List<ExpertLoad> loads = rollups.of(runId, phase, shape.numExperts());
            if (loads.isEmpty()) {
                throw new IllegalArgumentException("run " + runId + " has no routed token to balance");
            }
            EplbPlan plan = Eplb.rebalance(loads, request.replicas(), groups, nodes, gpus);
            TokenSet set = TokenSet.wholeRun(runId, phase);
            return advice(runId, set.describe(), loads, plan, request, shape.topK(),
                    intervals(set, shape, loads, plan, gpus));
        });
    }

    /** The plan held fixed, the set's units resampled: how it would balance other traffic like this. */
    private PlacementIntervals intervals(TokenSet set, RunShapes.Shape shape, List<ExpertLoad> loads, EplbPlan plan,
                                         int gpus) {
        var units = rows.units(set, RequestSeparation.of(shape.requestsNotSeparable()), shape.numExperts());
        return PlacementIntervals.of(units, loads.stream().map(ExpertLoad::layer).toList(), plan, gpus);
    }

    private static PlacementAdvice advice(String runId, String tokenSet, List<ExpertLoad> loads, EplbPlan plan,
                                          PlacementShape request, int topK, PlacementIntervals intervals) {
        int gpus = request.gpus();
        int slots = request.replicas();
        int[][] phy2log = plan.phy2log();
        int[][] counts = plan.logicalCount();
        double[] before = plan.balancednessBefore();
        double[] after = plan.balancednessAfter();
        var layers = new ArrayList<PlacementAdvice.Layer>(loads.size());
        int perGpu = slots / gpus;
        for (int l = 0; l < loads.size(); l++) {
            int[][] gpuExperts = new int[gpus][];
            for (int g = 0; g < gpus; g++) {
                gpuExperts[g] = Arrays.copyOfRange(phy2log[l], g * perGpu, (g + 1) * perGpu);
            }
            ExpertLoad load = loads.get(l);
            layers.add(new PlacementAdvice.Layer(load.layer(), phy2log[l], counts[l], gpuExperts, before[l],
                    after[l], load.total() / topK, intervals.ofLayer(load.layer())));
        }
        int[] layerIds = loads.stream().mapToInt(ExpertLoad::layer).toArray();
        Map<String, Defined<Interval>> means = intervals.ofMean();
        return new PlacementAdvice(runId, tokenSet, gpus, slots, request.groups(), request.nodes(),
                plan.hierarchical() ? "hierarchical" : "global",
                summary(layerIds, before, means.get(PlacementIntervals.BEFORE)),
                summary(layerIds, after, means.get(PlacementIntervals.AFTER)), layers);
    }

    private static PlacementAdvice.Summary summary(int[] layers, double[] values, Defined<Interval> mean) {
        int min = 0;
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (values[i] < values[min]) {
                min = i;
            }
        }
        return new PlacementAdvice.Summary(sum / values.length, values[min], layers[min], Map.of("mean", mean));
    }
}
