package io.moescope.platform.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Micrometer gauges over the streamed window of every live run, so that Prometheus, Grafana and Alertmanager can
 * use them directly: the bounded {@link RoutingSeries} over the last {@code window}. A series goes away when its
 * subject does: a run that ended (FINISHED, FAILED or ABANDONED) or whose window emptied, a layer without routed
 * tokens, an expert that left its layer's top N.
 */
public class RoutingGauges {

    private final LiveLoads loads;
    private final RunProgress runProgress;
    private final RoutingSeries series;
    private final ShownSeries shown;
    private final Clock clock;
    private final Duration window;

    RoutingGauges(LiveLoads loads, RunProgress runProgress, RoutingSeries series, ShownSeries shown, Clock clock,
                  Duration window) {
        this.loads = loads;
        this.runProgress = runProgress;
        this.series = series;
        this.shown = shown;
        this.clock = clock;
        this.window = window;
    }

    /** Recomputes every value and registers or removes gauges; called on the evaluation tick. */
    public void refresh() {
        Set<String> runs = loads.runs();
        Map<String, String> ended = runProgress.of(runs).ended();
        Instant from = clock.instant().minus(window);
        var live = new HashMap<Series, Double>();
        for (String run : runs) {
            if (!ended.containsKey(run)) {
                live.putAll(series.of(run, loads.since(run, from).orElse(List.of())));
            }
        }
        shown.show(live);
    }
}
