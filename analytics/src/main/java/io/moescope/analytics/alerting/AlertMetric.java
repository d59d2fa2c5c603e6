package io.moescope.analytics.alerting;

import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.DominantShare;
import io.moescope.analytics.collapse.EffectiveExperts;
import io.moescope.analytics.collapse.NormalisedEntropy;
import io.moescope.analytics.imbalance.CoefficientOfVariation;
import io.moescope.analytics.imbalance.Gini;
import io.moescope.analytics.imbalance.MaxVio;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The metrics an alert rule may watch, each computed from one load (definitions in docs/metrics.md). */
public enum AlertMetric {
    MAX_VIO("max_vio", MaxVio::of),
    CV("cv", CoefficientOfVariation::of),
    GINI("gini", Gini::of),
    NORMALISED_ENTROPY("normalised_entropy", NormalisedEntropy::of),
    EFFECTIVE_EXPERTS("effective_experts", EffectiveExperts::of),
    /** Experts with p_i &lt; 0.1 / N (the default tau). */
    DEAD_EXPERTS("dead_experts", load -> DeadExperts.of(load).deadCount()),
    DOMINANT_SHARE("dominant_share", load -> DominantShare.of(load).share());

    private final String id;
    private final ToDoubleFunction<ExpertLoad> value;

    AlertMetric(String id, ToDoubleFunction<ExpertLoad> value) {
        this.id = id;
        this.value = value;
    }

    /** The name rules use, e.g. {@code dead_experts}. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException when the load holds no routed token */
    public double of(ExpertLoad load) {
        return value.applyAsDouble(load);
    }

    /** @throws IllegalArgumentException naming the known metrics when {@code name} is none of them */
    public static AlertMetric parse(String name) {
        for (AlertMetric metric : values()) {
            if (metric.id.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return metric;
            }
        }
        throw new IllegalArgumentException("metric: unknown metric '" + name + "'; known: "
                + Arrays.stream(values()).map(AlertMetric::id).collect(Collectors.joining(", ")));
    }
}
