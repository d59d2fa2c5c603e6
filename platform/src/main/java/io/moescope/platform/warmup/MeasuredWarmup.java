package io.moescope.platform.warmup;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
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
 * <p>The measured hit rates' intervals take the run's requests as the independent units, although the probe's
 * cache carries over from one request to the next: they show how much the figure rests on which requests were
 * sent, not the spread of cold starts.
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
     * @param hitRateInterval95 the 95 % interval of {@code hitRate}, by bootstrap over the requests (each request's
     *                    hits and accesses at the layer together), or undefined with the reason (fewer than 2
     *                    requests)
     */
    public record Layer(int layer, long accesses, long hits, long misses, double hitRate, int expertsUsed,
                        long bytesRead, Double loadMsP50, Double loadMsP95, Double loadMsMax, List<Point> curve,
                        Defined<WarmupSummary> simulation, Defined<Interval> hitRateInterval95) {

        public Layer {
            curve = List.copyOf(curve);
        }
    }

    /**
     * @param tokenIndex the steps' first token index
     * @param accesses   accesses of the steps starting there
     * @param hitRate    their hits / accesses
     * @param hitRateInterval95 its 95 % interval: the normal approximation of a ratio of sums over the requests
     *                   with a step there, as the simulated curve's points; undefined with the reason (fewer than 2
     *                   such requests)
     */
    public record Point(int tokenIndex, long accesses, double hitRate, Defined<Interval> hitRateInterval95) {
    }
}
