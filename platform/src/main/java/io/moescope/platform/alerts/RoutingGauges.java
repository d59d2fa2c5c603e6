package io.moescope.platform.alerts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.NormalisedEntropy;
import io.moescope.analytics.imbalance.MaxVio;
import io.moescope.analytics.load.ExpertLoad;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer gauges over the streamed window of every live run (so Prometheus, Grafana and Alertmanager can use
 * them directly): {@code moescope.expert.load.share{run,layer,expert}}, {@code moescope.layer.max.vio},
 * {@code moescope.layer.normalised.entropy} and {@code moescope.layer.dead.experts} ({run,layer}; tau 0.1), over
 * the last {@code window}. A run whose window empties loses its gauges.
 */
public class RoutingGauges {

    private final LiveLoads loads;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration window;
    /** gauge key -&gt; current value; gauges read from here. */
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    RoutingGauges(LiveLoads loads, MeterRegistry registry, Clock clock, Duration window) {
        this.loads = loads;
        this.registry = registry;
        this.clock = clock;
        this.window = window;
    }

    /** Recomputes every value and registers or removes gauges; called on the evaluation tick. */
    public synchronized void refresh() {
        Set<String> live = new HashSet<>();
        for (String run : loads.runs()) {
            List<ExpertLoad> layers = loads.since(run, clock.instant().minus(window)).orElse(List.of());
            for (ExpertLoad load : layers) {
                if (load.total() == 0) {
                    continue;
                }
                String layer = Integer.toString(load.layer());
                double[] shares = load.shares();
                for (int e = 0; e < shares.length; e++) {
                    set(live, "moescope.expert.load.share", shares[e], "run", run, "layer", layer, "expert",
                            Integer.toString(e));
                }
                set(live, "moescope.layer.max.vio", MaxVio.of(load), "run", run, "layer", layer);
                set(live, "moescope.layer.normalised.entropy", NormalisedEntropy.of(load), "run", run, "layer", layer);
                set(live, "moescope.layer.dead.experts", DeadExperts.of(load).deadCount(), "run", run, "layer", layer);
            }
        }
        meters.keySet().removeIf(key -> {
            if (live.contains(key)) {
                return false;
            }
            registry.remove(meters.get(key));
            values.remove(key);
            return true;
        });
    }

    private void set(Set<String> live, String name, double value, String... tags) {
        String key = name + String.join("|", tags);
        live.add(key);
        double[] holder = values.computeIfAbsent(key, k -> new double[1]);
        holder[0] = value;
        meters.computeIfAbsent(key, k -> Gauge.builder(name, holder, h -> h[0]).tags(tags).register(registry));
    }
}
