package io.moescope.platform.metrics;

import io.moescope.storage.suites.StoredSuites;
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

/**
 * Looks for ended runs without a current stored suite every {@code moescope.metrics.stored-suites-interval} (the
 * first time one interval after start), on one thread of its own, and computes theirs ({@link EndedRunSuites}).
 */
@Configuration(proxyBeanMethods = false)
class StoredSuitesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoredSuitesConfiguration.class);

    @Bean
    EndedRunSuites endedRunSuites(StoredSuites stored, MetricSuiteService suites) {
        return new EndedRunSuites(stored, suites);
    }

    @Bean
    SmartLifecycle endedRunSuitesCheck(EndedRunSuites suites,
                                       @Value("${moescope.metrics.stored-suites-interval:30s}") Duration interval) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;
            private volatile ScheduledFuture<?> tick;

            @Override
            public void start() {
                if (interval.isNegative() || interval.isZero()) {
                    log.info("stored metric suites off (moescope.metrics.stored-suites-interval is not positive):"
                            + " the default suite of a run is stored only when a request computes it");
                    return;
                }
                executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "moescope-stored-suites");
                    t.setDaemon(true);
                    return t;
                });
                tick = executor.scheduleWithFixedDelay(() -> {
                    try {
                        suites.storeDue();
                    } catch (RuntimeException e) {
                        // a failed check (database briefly away) must not cancel the schedule
                        log.warn("stored metric suites: the check for ended runs failed: {}", e.toString());
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
