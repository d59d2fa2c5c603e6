package io.moescope.platform.runs;

import io.moescope.storage.runs.RunStates;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Applies {@link AbandonedRuns} every {@code moescope.runs.abandoned-check-interval} while the application runs. */
@Configuration(proxyBeanMethods = false)
class RunLivenessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RunLivenessConfiguration.class);

    @Bean
    AbandonedRuns abandonedRuns(RunStates states, Clock clock,
                                @Value("${moescope.runs.abandoned-after:10m}") Duration after) {
        return new AbandonedRuns(states, clock, after);
    }

    @Bean
    SmartLifecycle abandonedRunsCheck(AbandonedRuns runs,
                                      @Value("${moescope.runs.abandoned-check-interval:30s}") Duration interval) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;
            private volatile ScheduledFuture<?> tick;

            @Override
            public void start() {
                if (!runs.enabled()) {
                    log.info("abandoned-run check off (moescope.runs.abandoned-after is not positive)");
                    return;
                }
                executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "moescope-run-liveness");
                    t.setDaemon(true);
                    return t;
                });
                tick = executor.scheduleWithFixedDelay(() -> {
                    try {
                        runs.apply();
                    } catch (RuntimeException e) {
                        // A failed check (database briefly away) must not cancel the schedule.
                        log.warn("abandoned-run check failed: {}", e.toString());
                    }
                }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                if (executor != null) {
                    executor.shutdownNow();
                }
            }

            @Override
            public boolean isRunning() {
                return tick != null && !tick.isDone();
            }
        };
    }
}
