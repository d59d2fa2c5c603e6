package io.moescope.platform;

import io.moescope.platform.embedded.EmbeddedKafkaBroker;
import io.moescope.traces.delivery.ProducerCompression;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The batch codec of the platform's own producers (the demo run, uploaded traces, replays): {@code
 * moescope.kafka.compression} when set, else {@link ProducerCompression#choose}'s rule, none when this process runs
 * the embedded broker and lz4 for one given by {@code spring.kafka.bootstrap-servers}.
 */
@Configuration(proxyBeanMethods = false)
class ProducerCompressionConfiguration {

    @Bean
    ProducerCompression producerCompression(@Value("${moescope.kafka.compression:#{null}}") String explicit,
                                            ObjectProvider<EmbeddedKafkaBroker> embeddedBroker) {
        try {
            return ProducerCompression.choose(Optional.ofNullable(explicit), embeddedBroker.getIfAvailable() != null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("moescope.kafka." + e.getMessage(), e);
        }
    }
}
