package io.moescope.dashboard.warmup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.IndexStats;
import io.moescope.analytics.warmup.WarmupSummary;
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
 * The warm-up chart: mean hit rate of the t-th token of a request vs t, one line per policy and cache size, and a
 * vertical line at the mean stabilisation point of the load distribution.
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
        for (var entry : bySize.entrySet()) {
            for (WarmupSummary.PolicyWarmup p : entry.getValue().policies()) {
                if (policies.contains(p.policy())) {
                    builder.addSeries(p.policy() + ", C = " + entry.getKey(), p.policy() == CachePolicy.BELADY
                            ? Style.DASHED_LINE : Style.LINE, padded(p.curve(), tokens));
                }
            }
        }
        WarmupSummary any = bySize.values().iterator().next();
        stabilisation(any.stabilisation(), tokens).ifPresent(index -> builder.optMarker(
                new CartesianChartOption.Marker(String.valueOf(index), "load stabilises ~ token " + index)));
        return builder.optTitle("Expert-cache warm-up at layer " + layer, String.format(Locale.ROOT,
                        "%s; %d requests, each from a cold cache; Belady (dashed) is the offline upper bound",
                        tokenSet, any.requests()))
                .optAxisNames("token index in the request", "hit rate (fraction of expert accesses)").optYMax(1)
                .build().toOption();
    }

    /** The mean stabilisation point, rounded, when some request stabilised within the plotted tokens. */
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

    /** Rows of the summary table: overall hit rate per policy and size, and the settling index. */
    record Row(String policy, int size, double hitRate, String settling) {
    }

    static List<Row> rows(Map<Integer, WarmupSummary> bySize, Set<CachePolicy> policies) {
        var rows = new ArrayList<Row>();
        bySize.forEach((size, summary) -> summary.policies().stream().filter(p -> policies.contains(p.policy()))
                .forEach(p -> rows.add(new Row(p.policy().name(), size, p.hitRate(), settling(p.settling())))));
        return rows;
    }

    private static String settling(IndexStats s) {
        return s.mean() == null ? "not settled in any of " + s.requests() + " requests"
                : String.format(Locale.ROOT, "token %.1f on average (max %d), %d of %d requests", s.mean(), s.max(),
                        s.found(), s.requests());
    }
}
