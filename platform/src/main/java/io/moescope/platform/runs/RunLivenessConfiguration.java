package io.moescope.platform.runs;

import io.moescope.platform.scheduling.PeriodicTask;
import io.moescope.storage.runs.RunStates;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Applies {@link AbandonedRuns} every {@code moescope.runs.abandoned-check-interval} while the application runs. */
@Configuration(proxyBeanMethods = false)
class RunLivenessConfiguration {

    @Bean
    AbandonedRuns abandonedRuns(RunStates states, Clock clock,
                                @Value("${moescope.runs.abandoned-after:10m}") Duration after) {
        return new AbandonedRuns(states, clock, after);
    }

    @Bean
    SmartLifecycle abandonedRunsCheck(AbandonedRuns runs,
                                      @Value("${moescope.runs.abandoned-check-interval:30s}") Duration interval) {
        return new PeriodicTask("moescope-run-liveness", "abandoned-run check",
                runs.enabled() ? interval : Duration.ZERO, "moescope.runs.abandoned-after is not positive", runs::apply);
    }
}
