package io.moescope.platform.metrics;

import io.moescope.platform.scheduling.PeriodicTask;
import io.moescope.storage.suites.StoredSuites;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Looks for ended runs without a current stored suite every {@code moescope.metrics.stored-suites-interval} (the
 * first time one interval after start), on one thread of its own, and computes theirs ({@link EndedRunSuites}); and
 * every {@code moescope.metrics.live-suites-interval}, on another, extends the suites of the live runs asked for
 * lately by the data stored since ({@link MetricSuiteService#refreshLiveSuites}).
 */
@Configuration(proxyBeanMethods = false)
class StoredSuitesConfiguration {

    @Bean
    EndedRunSuites endedRunSuites(StoredSuites stored, MetricSuiteService suites) {
        return new EndedRunSuites(stored, suites);
    }

    @Bean
    SmartLifecycle endedRunSuitesCheck(EndedRunSuites suites,
                                       @Value("${moescope.metrics.stored-suites-interval:30s}") Duration interval) {
        return new PeriodicTask("moescope-stored-suites", "stored metric suites' check for ended runs", interval,
                "moescope.metrics.stored-suites-interval is not positive: the default suite of a run is stored only"
                        + " when a request computes it", suites::storeDue);
    }

    @Bean
    SmartLifecycle liveRunSuitesExtension(MetricSuiteService suites,
                                          @Value("${moescope.metrics.live-suites-interval:2s}") Duration interval) {
        return new PeriodicTask("moescope-live-suites", "background extension of live runs' metric suites",
                interval, "moescope.metrics.live-suites-interval is not positive: the suite of a live run is extended"
                        + " only when a request asks for it", suites::refreshLiveSuites);
    }
}
