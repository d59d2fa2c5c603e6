package io.moescope.dashboard.warmup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.IndexStats;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.dashboard.IntervalText;
import io.moescope.dashboard.charts.CartesianChartOption;
import io.moescope.dashboard.charts.CartesianChartOption.Style;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The warm-up chart: hit rate over the last W tokens (the settling window) ending at token t of a request, mean over
 * the requests, vs t; one line per policy and cache size, each with a dot where it settles on average, and a vertical
 * line at the mean stabilisation point of the load distribution. Windowed, not per token: a token's hit rate is one
 * of 0, 1/k, .., 1, so per-token lines of a few requests jump between 0 and 1 and hide the warm-up.
 */
final class WarmupChart {

    private WarmupChart() {
    }

    /** @param bySize warm-up summaries by cache size, each defined */
    static ObjectNode option(Map<Integer, WarmupSummary> bySize, Set<CachePolicy> policies, int layer,
                             String tokenSet) {
        int tokens = 0;
        for (WarmupSummary summary : bySize.values()) {
            for (WarmupSummary.PolicyWarmup p : summary.policies()) {
                tokens = Math.max(tokens, p.curve().length);
            }
        }
        List<String> axis = IntStream.range(0, tokens).mapToObj(String::valueOf).toList();
        var builder = CartesianChartOption.builder().setCategories(axis);
        WarmupSummary any = bySize.values().iterator().next();
        int window = any.settings().window();
        for (var entry : bySize.entrySet()) {
            for (WarmupSummary.PolicyWarmup p : entry.getValue().policies()) {
                if (policies.contains(p.policy())) {
                    String name = p.policy() + ", C = " + entry.getKey();
                    Style style = p.policy() == CachePolicy.BELADY ? Style.DASHED_LINE : Style.LINE;
                    double[] values = windowed(padded(p.curve(), tokens), window);
                    OptionalInt settles = stabilisation(p.settling(), tokens);
                    if (settles.isPresent()) {
                        builder.addSeries(name, style, values, new CartesianChartOption.Point(settles.getAsInt(),
                                "settles ~ " + settles.getAsInt()));
                    } else {
                        builder.addSeries(name, style, values);
                    }
                }
            }
        }
        stabilisation(any.stabilisation(), tokens).ifPresent(index -> builder.optMarker(
                new CartesianChartOption.Marker(String.valueOf(index), "load stabilises ~ token " + index)));
        return builder.optTitle("Expert-cache warm-up at layer " + layer, String.format(Locale.ROOT,
                        "%s; %d requests, each from a cold cache; dots: where a line settles on average; Belady"
                                + " (dashed) is the offline upper bound", tokenSet, any.requests()))
                .optAxisNames("token index in the request",
                        "hit rate over the last " + window + " tokens (fraction of expert accesses)").optYMax(1)
                .build().toOption();
    }

    /**
     * windowed[t] = mean of curve[t - W + 1 .. t] (fewer at the start), skipping gaps: every token makes k accesses,
     * so this is the hit rate of those tokens, as {@code HitRateCurve.windowed} defines it for one request. NaN
     * where the curve is NaN (no request reaches t).
     */
    static double[] windowed(double[] curve, int window) {
        double[] values = new double[curve.length];
        for (int t = 0; t < curve.length; t++) {
            values[t] = Double.isNaN(curve[t]) ? Double.NaN
                    : Arrays.stream(curve, Math.max(0, t - window + 1), t + 1).filter(v -> !Double.isNaN(v))
                            .average().orElseThrow();
        }
        return values;
    }

    /**
     * The mean index (a stabilisation point, a settling index), rounded, when some request had one within the
     * plotted tokens.
     */
    static OptionalInt stabilisation(IndexStats stats, int tokens) {
        if (stats.mean() == null) {
            return OptionalInt.empty();
        }
        int index = (int) Math.round(stats.mean());
        return index < tokens ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** Later token indices that fewer requests reach stay NaN (a gap) in a shorter curve. */
    static double[] padded(double[] curve, int tokens) {
        double[] values = new double[tokens];
        Arrays.fill(values, Double.NaN);
        System.arraycopy(curve, 0, values, 0, curve.length);
        return values;
    }

    /**
     * Rows of the summary table: overall hit rate per policy and size and the settling index, each with its 95 %
     * interval ("37.5 % [25.0 %, 50.0 %]").
     */
    record Row(String policy, int size, String hitRate, String settling) {
    }

    static List<Row> rows(Map<Integer, WarmupSummary> bySize, Set<CachePolicy> policies) {
        var rows = new ArrayList<Row>();
        bySize.forEach((size, summary) -> summary.policies().stream().filter(p -> policies.contains(p.policy()))
                .forEach(p -> rows.add(new Row(p.policy().name(), size, IntervalText.withInterval(p.hitRate(),
                        summary.hitRateInterval95().get(p.policy()), WarmupChart::percent), settling(p.settling())))));
        return rows;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static String settling(IndexStats s) {
        return s.mean() == null ? "not settled in any of " + s.requests() + " requests"
                : "token " + IntervalText.withInterval(s.mean(), s.meanInterval95(),
                        v -> String.format(Locale.ROOT, "%.1f", v))
                        + String.format(Locale.ROOT, " on average (max %d), %d of %d requests", s.max(), s.found(),
                        s.requests());
    }
}
