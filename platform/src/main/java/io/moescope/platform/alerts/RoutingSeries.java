package io.moescope.platform.alerts;

import io.micrometer.core.instrument.Tags;
import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The gauge series of one live run, bounded so that a large model does not flood Prometheus: per layer with routed
 * tokens one series of each {@link #LAYER_GAUGES} metric ({run,layer}), and {@value #EXPERT_SHARE}
 * ({run,layer,expert}) for only the {@code topExperts} experts of the layer with the largest share (lowest id on
 * ties; experts never chosen in the window are not "hot"). Per-expert gauges for every expert grow as
 * runs x layers x N (15,616 series for one DeepSeek-V3 run); these give layers x (4 + topExperts) at most.
 */
final class RoutingSeries {

    /** The per-layer gauges, each the value an alert rule on that metric sees for the layer. */
    static final Map<AlertMetric, String> LAYER_GAUGES = layerGauges();
    static final String EXPERT_SHARE = "moescope.expert.load.share";
    /** The property naming {@code topExperts}, and its bounds. */
    static final String TOP_EXPERTS_PROPERTY = "moescope.metrics.top-experts-per-layer";
    static final int MAX_TOP_EXPERTS = 64;

    private final int topExperts;

    /** @throws IllegalArgumentException naming the property when {@code topExperts} is outside [0, 64] */
    RoutingSeries(int topExperts) {
        if (topExperts < 0 || topExperts > MAX_TOP_EXPERTS) {
            throw new IllegalArgumentException(TOP_EXPERTS_PROPERTY + " must be between 0 (no per-expert series) and "
                    + MAX_TOP_EXPERTS + " but was " + topExperts);
        }
        this.topExperts = topExperts;
    }

    /** Series -&gt; value for the run's layers; layers without a routed token have none. */
    Map<Series, Double> of(String run, List<ExpertLoad> layers) {
        var series = new LinkedHashMap<Series, Double>();
        for (ExpertLoad load : layers) {
            if (load.total() == 0) {
                continue;
            }
            Tags layer = Tags.of("run", run, "layer", Integer.toString(load.layer()));
            LAYER_GAUGES.forEach((metric, name) -> series.put(new Series(name, layer), metric.of(load)));
            double[] shares = load.shares();
            hottest(shares).forEach(expert -> series.put(
                    new Series(EXPERT_SHARE, layer.and("expert", Integer.toString(expert))), shares[expert]));
        }
        return series;
    }

    private List<Integer> hottest(double[] shares) {
        return IntStream.range(0, shares.length).filter(e -> shares[e] > 0).boxed()
                .sorted(Comparator.comparingDouble((Integer e) -> shares[e]).reversed().thenComparing(e -> e))
                .limit(topExperts).toList();
    }

    private static Map<AlertMetric, String> layerGauges() {
        var gauges = new LinkedHashMap<AlertMetric, String>();
        gauges.put(AlertMetric.MAX_VIO, "moescope.layer.max.vio");
        gauges.put(AlertMetric.NORMALISED_ENTROPY, "moescope.layer.normalised.entropy");
        gauges.put(AlertMetric.DEAD_EXPERTS, "moescope.layer.dead.experts");
        gauges.put(AlertMetric.DOMINANT_SHARE, "moescope.layer.hottest.expert.share");
        return Collections.unmodifiableMap(gauges);
    }
}
