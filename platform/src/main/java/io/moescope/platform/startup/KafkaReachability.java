package io.moescope.platform.startup;

import io.moescope.traces.delivery.KafkaRoutingSink;
import java.time.Duration;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Fails start-up with a clear message when Kafka is unreachable. Without it, the consumers would start anyway and
 * log connection warnings forever while the dashboard stays empty.
 */
@Component
class KafkaReachability {

    KafkaReachability(KafkaProperties kafka) {
        String servers = String.join(",", kafka.getBootstrapServers());
        try {
            KafkaRoutingSink.requireReachable(servers, Duration.ofSeconds(15));
        } catch (IllegalStateException e) {
            throw new InfrastructureUnavailableException(e.getMessage(),
                    "Start Kafka at " + servers + ", correct spring.kafka.bootstrap-servers, or remove it to use "
                            + "the embedded broker.", e);
        }
    }
}
