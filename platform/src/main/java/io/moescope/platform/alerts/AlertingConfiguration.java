package io.moescope.platform.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.storage.runs.RunStates;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the alert evaluation: the streamed windows, the evaluator on a fixed tick, the webhook. */
@Configuration(proxyBeanMethods = false)
class AlertingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertingConfiguration.class);

    @Bean
    WindowedLoads windowedLoads() {
        return new WindowedLoads();
    }

    /**
     * The alert threads, wrapped: an Executor bean would make Spring Boot back off from its own
     * applicationTaskExecutor, which other components need.
     */
    record AlertThreads(ScheduledExecutorService executor) implements AutoCloseable {

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean
    AlertThreads alertThreads() {
        return new AlertThreads(Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "moescope-alerts");
            t.setDaemon(true);
            return t;
        }));
    }

    @Bean
    WebhookNotifier webhookNotifier(@Value("${moescope.alerts.webhook-url:}") String url,
                                    @Value("${moescope.alerts.webhook-attempts:5}") int attempts,
                                    @Value("${moescope.alerts.webhook-backoff:1s}") Duration backoff,
                                    AlertThreads threads, ObjectMapper json) {
        return new WebhookNotifier(url.isBlank() ? Optional.empty() : Optional.of(URI.create(url)),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), threads.executor(), json, attempts,
                backoff);
    }

    @Bean
    LiveLoads liveLoads(WindowedLoads windows, RolledUpLoads runs) {
        return new LiveLoads(windows, runs);
    }

    @Bean
    AlertEvaluator alertEvaluator(AlertRuleService rules, LiveLoads loads, RunStates states, WebhookNotifier webhook,
                                  MeterRegistry registry, Clock clock) {
        return new AlertEvaluator(rules, loads, new RunProgress(states), webhook,
                new AlertStateGauges(new ShownSeries(registry)), clock);
    }

    @Bean
    RoutingGauges routingGauges(LiveLoads loads, RunStates states, MeterRegistry registry, Clock clock,
                                @Value("${moescope.metrics.gauge-window:60s}") Duration window,
                                @Value("${" + RoutingSeries.TOP_EXPERTS_PROPERTY + ":3}") int topExperts) {
        return new RoutingGauges(loads, new RunProgress(states), new RoutingSeries(topExperts),
                new ShownSeries(registry), clock, window);
    }

    /**
     * Every {@code moescope.alerts.evaluation-interval}: evaluates the rules, then refreshes the gauges, while the
     * application runs.
     */
    @Bean
    SmartLifecycle alertTicker(AlertEvaluator evaluator, RoutingGauges gauges, AlertThreads threads,
                               @Value("${moescope.alerts.evaluation-interval:500ms}") Duration interval) {
        return new SmartLifecycle() {
            private volatile java.util.concurrent.ScheduledFuture<?> tick;

            @Override
            public void start() {
                tick = threads.executor().scheduleWithFixedDelay(() -> {
                    try {
                        evaluator.evaluate();
                        gauges.refresh();
                    } catch (RuntimeException e) {
                        // A failed tick (database briefly away) must not cancel the schedule.
                        log.warn("alert evaluation failed: {}", e.toString());
                    }
                }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                tick.cancel(false);
            }

            @Override
            public boolean isRunning() {
                return tick != null && !tick.isDone();
            }
        };
    }
}
