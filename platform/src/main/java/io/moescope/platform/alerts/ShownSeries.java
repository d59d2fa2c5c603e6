package io.moescope.platform.alerts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The gauges of a registry that show a set of series: each {@link #show} registers the new series, updates the
 * values of the others and removes those it no longer names, so a scrape never carries a stale series.
 */
class ShownSeries {

    private final MeterRegistry registry;
    /** series -&gt; current value; the gauges read from here (Micrometer holds them weakly). */
    private final Map<Series, double[]> values = new HashMap<>();
    private final Map<Series, Meter> meters = new HashMap<>();

    ShownSeries(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void show(Map<Series, Double> current) {
        current.forEach(this::set);
        meters.keySet().removeIf(key -> {
            if (current.containsKey(key)) {
                return false;
            }
            registry.remove(meters.get(key));
            values.remove(key);
            return true;
        });
    }

    private void set(Series key, double value) {
        double[] holder = values.computeIfAbsent(key, k -> new double[1]);
        holder[0] = value;
        meters.computeIfAbsent(key, k -> Gauge.builder(k.name(), holder, h -> h[0]).tags(k.tags()).register(registry));
    }
}
