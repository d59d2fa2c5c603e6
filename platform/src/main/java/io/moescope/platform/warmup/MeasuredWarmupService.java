package io.moescope.platform.warmup;

import io.moescope.analytics.evidence.Bootstrap;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.RatioOfSums;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.storage.expertcache.ExpertCacheStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Measured expert-cache figures of a run (from {@code expert_cache_access}, aggregated in PostgreSQL) beside the
 * warm-up simulation for the probe's cache size (the run's routing streamed once through {@link SimulatedWarmups}).
 */
@Service
public class MeasuredWarmupService {

    private static final double NANOS_PER_MS = 1e6;

    private final ExpertCacheStats stats;
    private final RolledUpLoads runs;
    private final RoutingRows rows;

    MeasuredWarmupService(ExpertCacheStats stats, RolledUpLoads runs, RoutingRows rows) {
        this.stats = stats;
        this.runs = runs;
        this.rows = rows;
    }

    /** @return empty when the run is unknown */
    public Optional<MeasuredWarmup> warmup(String runId) {
        return runs.shape(runId).map(shape -> {
            Optional<MeasuredWarmup.Offloading> offloading = offloading(runId);
            if (offloading.isEmpty()) {
                return new MeasuredWarmup(runId, shape.numExperts(), shape.topK(), Defined.undefined(
                        "no expert-cache events stored for this run: the probe ran without --expert-cache"), List.of());
            }
            int capacity = offloading.get().capacity();
            var simulation = new SimulatedWarmups(new WarmupAccumulator.Settings(shape.numExperts(), capacity,
                    new int[] {capacity}, SuiteOptions.DEFAULT_WINDOW, SuiteOptions.SETTLING_TOLERANCE,
                    SuiteOptions.STABILISATION_JSD, SuiteOptions.MAX_CURVE_TOKENS));
            rows.forEach(TokenSet.wholeRun(runId, Optional.empty()), simulation);
            simulation.finish();
            return new MeasuredWarmup(runId, shape.numExperts(), shape.topK(), Defined.of(offloading.get()),
                    layers(runId, simulation));
        });
    }

    private Optional<MeasuredWarmup.Offloading> offloading(String runId) {
        return stats.offloading(runId, MeasuredWarmup.Offloading::new);
    }

    private List<MeasuredWarmup.Layer> layers(String runId, SimulatedWarmups simulation) {
        Map<Integer, List<MeasuredWarmup.Point>> curves = new HashMap<>();
        stats.curves(runId, SuiteOptions.MAX_CURVE_TOKENS, (layer, tokenIndex, requests, accesses, hits,
                                                           hitsSquared, hitsTimesAccesses, accessesSquared) -> {
            var sums = new RatioOfSums(requests, hits, accesses, hitsSquared, hitsTimesAccesses, accessesSquared);
            curves.computeIfAbsent(layer, l -> new ArrayList<>()).add(new MeasuredWarmup.Point(tokenIndex, accesses,
                    sums.ratio(), Defined.compute(() -> sums.shareInterval95(requests + " requests"))));
        });
        Map<Integer, Defined<Interval>> intervals = hitRateIntervals(runId);
        return stats.layers(runId, (layer, accesses, hits, expertsUsed, bytesRead, median, p95, max) ->
                new MeasuredWarmup.Layer(layer, accesses, hits, accesses - hits, (double) hits / accesses,
                        expertsUsed, bytesRead, millis(median), millis(p95), millis(max),
                        curves.getOrDefault(layer, List.of()), simulation.of(layer), intervals.get(layer)));
    }

    /** Each layer's hit rate in one bootstrap over the run's requests (a request's layers drawn together). */
    private Map<Integer, Defined<Interval>> hitRateIntervals(String runId) {
        ResamplingUnits units = ResamplingUnits.requests(1);
        stats.requestHits(runId, units::acceptRatios);
        List<Integer> layers = List.copyOf(units.ratioKeys());
        Defined<Bootstrap.Resamples> resamples = Defined.compute(() -> Bootstrap.resample(units,
                resample -> layers.stream().mapToDouble(resample::ratio).toArray()));
        Map<Integer, Defined<Interval>> intervals = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            int figure = i;
            intervals.put(layers.get(i), resamples.map(r -> r.interval(figure)));
        }
        return intervals;
    }

    private static Double millis(Double nanos) {
        return nanos == null ? null : nanos / NANOS_PER_MS;
    }
}
