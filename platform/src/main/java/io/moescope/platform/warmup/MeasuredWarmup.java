package io.moescope.platform.warmup;

import io.moescope.analytics.suite.Defined;
import io.moescope.analytics.warmup.WarmupSummary;
import java.util.List;

/**
 * A run's expert cache as the probe measured it under offloading ({@code --expert-cache C}), per MoE layer, next to
 * the LRU / LFU / Belady simulation for the same C ({@code GET /api/runs/{runId}/warmup}).
 *
 * <p>The two differ by construction, so compare trends, not digits: the probe keeps one cache per layer for the
 * whole run (requests one after another, warm across requests) and its prefill step runs each expert once for all
 * the prompt's tokens (one access per distinct expert), while the simulation starts every request from a cold cache
 * and lets every token access its k experts (as the metric suite's {@code warmup}).
 *
 * @param runId      the run
 * @param numExperts N
 * @param topK       k
 * @param offloading the cache the probe ran with; undefined (with the reason) when the run has no expert-cache
 *                   events, and {@code layers} is then empty
 * @param layers     one entry per MoE layer with an access, in layer order
 */
public record MeasuredWarmup(String runId, int numExperts, int topK, Defined<Offloading> offloading,
                             List<Layer> layers) {

    public MeasuredWarmup {
        layers = List.copyOf(layers);
    }

    /**
     * @param capacity experts per layer the probe's cache held (C)
     * @param policy   its eviction policy, LRU or LFU
     * @param steps    forward steps with expert accesses (a prefill or one decode token of a request)
     */
    public record Offloading(int capacity, String policy, long steps) {
    }

    /**
     * @param layer       decoder layer index
     * @param accesses    expert accesses stored
     * @param hits        accesses that found the expert resident
     * @param misses      accesses that loaded it (at least {@code expertsUsed}: the cache starts empty)
     * @param hitRate     hits / accesses
     * @param expertsUsed distinct experts accessed at the layer
     * @param bytesRead   checkpoint bytes read by the misses
     * @param loadMsP50   median load time of a miss in ms (PostgreSQL percentile_cont: linear interpolation);
     *                    null without a miss
     * @param loadMsP95   95th percentile, the same way; null without a miss
     * @param loadMsMax   slowest miss; null without a miss
     * @param curve       measured hit rate vs token index: per token index t at which a step started (prefill 0,
     *                    then each decode token), hits / accesses over the requests' steps there; up to index 1023
     * @param simulation  the simulated warm-up at this layer for C (LRU, LFU, Belady); undefined with the reason
     *                    when no token of the run was routed at the layer
     */
    public record Layer(int layer, long accesses, long hits, long misses, double hitRate, int expertsUsed,
                        long bytesRead, Double loadMsP50, Double loadMsP95, Double loadMsMax, List<Point> curve,
                        Defined<WarmupSummary> simulation) {

        public Layer {
            curve = List.copyOf(curve);
        }
    }

    /**
     * @param tokenIndex the steps' first token index
     * @param accesses   accesses of the steps starting there
     * @param hitRate    their hits / accesses
     */
    public record Point(int tokenIndex, long accesses, double hitRate) {
    }
}
