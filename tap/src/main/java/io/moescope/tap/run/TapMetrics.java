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
 * start (a dashboard's rate over a series that appears late misses its first increments), in Prometheus' text
 * format.
 */
public final class TapMetrics {

    /** Micrometer's name; Prometheus' naming adds {@code _total} to a counter. */
    static final String RESPONSES = "moescope.tap.responses";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Outcome, Counter> responses = new EnumMap<>(Outcome.class);

    public TapMetrics(Engine engine) {
        for (Outcome outcome : Outcome.values()) {
            responses.put(outcome, Counter.builder(RESPONSES).description("Responses the tap forwarded, by outcome")
                    .tag("engine", engine.id()).tag("outcome", outcome.label()).register(registry));
        }
    }

    void count(Outcome outcome) {
        responses.get(outcome).increment();
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
