package io.moescope.tap.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import java.util.EnumMap;
import java.util.Map;

/**
 * The tap's counters {@code moescope_tap_responses_total{engine, outcome}}, one series per {@link Outcome} from the
 * start (a dashboard's rate over a series that appears late misses its first increments), and
 * {@code moescope_tap_recordings_dropped_total{engine}}, in Prometheus' text format.
 */
public final class TapMetrics {

    /** Micrometer's name; Prometheus' naming adds {@code _total} to a counter. */
    static final String RESPONSES = "moescope.tap.responses";
    /** Captured responses whose tokens were not recorded because the recording was behind ({@link RecordingQueue}). */
    static final String DROPPED = "moescope.tap.recordings.dropped";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Outcome, Counter> responses = new EnumMap<>(Outcome.class);
    private final Counter dropped;

    public TapMetrics(Engine engine) {
        for (Outcome outcome : Outcome.values()) {
            responses.put(outcome, Counter.builder(RESPONSES).description("Responses the tap forwarded, by outcome")
                    .tag("engine", engine.id()).tag("outcome", outcome.label()).register(registry));
        }
        dropped = Counter.builder(DROPPED).description("Captured responses not recorded: the recording was behind")
                .tag("engine", engine.id()).register(registry);
    }

    void count(Outcome outcome) {
        responses.get(outcome).increment();
    }

    void countDropped() {
        dropped.increment();
    }

    /** How many captured responses were dropped unrecorded so far. */
    public long dropped() {
        return (long) dropped.count();
    }

    /** How many responses had {@code outcome} so far. */
    public long responses(Outcome outcome) {
        return (long) responses.get(outcome).count();
    }

    /** Every series in Prometheus' text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
