package io.moescope.dashboard.warmup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.dashboard.IntervalText;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import io.moescope.platform.warmup.MeasuredWarmup;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What the probe measured under offloading, per layer: the measured hit rate vs token index next to the simulated
 * policies at the same cache size (chart), and the miss figures of every layer (table rows).
 */
final class MeasuredCacheChart {

    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private MeasuredCacheChart() {
    }

    /** Measured (solid) and simulated (dashed) hit rate vs token index at one layer. */
    static ObjectNode option(MeasuredWarmup warmup, MeasuredWarmup.Layer layer) {
        MeasuredWarmup.Offloading cache = warmup.offloading().value();
        List<WarmupSummary.PolicyWarmup> simulated = layer.simulation().value() == null ? List.of()
                : layer.simulation().value().policies();
        int tokens = Math.max(layer.curve().stream().mapToInt(p -> p.tokenIndex() + 1).max().orElse(0),
                simulated.stream().mapToInt(p -> p.curve().length).max().orElse(0));
        var builder = CartesianChartOption.builder()
                .setCategories(IntStream.range(0, tokens).mapToObj(String::valueOf).toList())
                .addSeries("measured, " + cache.policy() + " C = " + cache.capacity(), Style.MARKED_LINE,
                        measured(layer.curve(), tokens));
        simulated.forEach(p -> builder.addSeries("simulated " + p.policy() + ", C = " + cache.capacity(),
                Style.DASHED_LINE, WarmupChart.padded(p.curve(), tokens)));
        return builder.optTitle("Measured expert-cache hit rate at layer " + layer.layer(), String.format(Locale.ROOT,
                        "probe with %d of %d experts resident (%s), %d forward steps; prefill counts at token 0",
                        cache.capacity(), warmup.numExperts(), cache.policy(), cache.steps()))
                .optAxisNames("token index in the request", "hit rate (fraction of expert accesses)").optYMax(1)
                .build().toOption();
    }

    /** A row of the per-layer table, worded for display. */
    record Row(int layer, long accesses, String hitRate, String simulated, long misses, String p50, String p95,
               String max, String read) {
    }

    static List<Row> rows(MeasuredWarmup warmup) {
        return warmup.layers().stream().map(l -> new Row(l.layer(), l.accesses(),
                IntervalText.withInterval(l.hitRate(), l.hitRateInterval95(), MeasuredCacheChart::percent),
                simulated(l), l.misses(), millis(l.loadMsP50()), millis(l.loadMsP95()), millis(l.loadMsMax()),
                String.format(Locale.ROOT, "%.1f MiB", l.bytesRead() / BYTES_PER_MIB))).toList();
    }

    private static String simulated(MeasuredWarmup.Layer layer) {
        if (layer.simulation().value() == null) {
            return layer.simulation().reason();
        }
        return String.join(", ", layer.simulation().value().policies().stream()
                .map(p -> p.policy() + " " + percent(p.hitRate())).toList());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static String millis(Double ms) {
        return ms == null ? "no miss" : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    /** Token indices at which no step started stay NaN (a gap): decode steps follow the prompt's length. */
    private static double[] measured(List<MeasuredWarmup.Point> curve, int tokens) {
        double[] values = new double[tokens];
        Arrays.fill(values, Double.NaN);
        curve.forEach(p -> values[p.tokenIndex()] = p.hitRate());
        return values;
    }
}
