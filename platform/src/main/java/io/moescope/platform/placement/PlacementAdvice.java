package io.moescope.platform.placement;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import java.util.List;
import java.util.Map;

/**
 * DeepSeek EPLB's plan for a run's measured loads ({@code GET /api/runs/{runId}/placement}). Slot s of a layer
 * lives on GPU s / (replicas / gpus).
 *
 * @param runId              the run
 * @param tokenSet           which tokens' loads were balanced
 * @param gpus               G
 * @param replicas           physical expert slots per layer
 * @param groups             expert groups
 * @param nodes              server nodes
 * @param policy             "hierarchical" (groups % nodes == 0) or "global", as eplb.py decides
 * @param balancednessBefore per-GPU mean/max over layers: mean, min, before (experts contiguous, no replica)
 * @param balancednessAfter  the same under the plan
 * @param layers             the plan per layer
 */
public record PlacementAdvice(String runId, String tokenSet, int gpus, int replicas, int groups, int nodes,
                              String policy, Summary balancednessBefore, Summary balancednessAfter,
                              List<Layer> layers) {

    /**
     * @param mean       unweighted mean over layers
     * @param min        the worst layer's value
     * @param minLayer   that layer
     * @param interval95 {@code mean}: the 95 % interval of the mean over layers, the plan held fixed and each
     *                   resample of the run's units placed as it places them; or undefined with the reason
     */
    public record Summary(double mean, double min, int minLayer, Map<String, Defined<Interval>> interval95) {

        public Summary {
            interval95 = Map.copyOf(interval95);
        }
    }

    /**
     * @param layer              decoder layer index
     * @param phy2log            logical expert held by every physical slot
     * @param replicaCount       replicas per logical expert
     * @param gpuExperts         logical experts on each GPU, slot order
     * @param balancednessBefore mean/max GPU load before
     * @param balancednessAfter  mean/max GPU load under the plan
     * @param tokens             the tokens routed at this layer, the sample its balancedness rests on
     * @param interval95         {@code balancednessBefore}, {@code balancednessAfter}: 95 % intervals, the plan held
     *                           fixed and each resample of the run's units placed as it places them; or undefined
     *                           with the reason
     */
    public record Layer(int layer, int[] phy2log, int[] replicaCount, int[][] gpuExperts, double balancednessBefore,
                        double balancednessAfter, long tokens, Map<String, Defined<Interval>> interval95) {
    }
}
