package io.moescope.ingest.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Ingest's metrics, consumer lag and (with Spring Boot Actuator on the classpath) its health indicator. Imported by
 * the ingest configuration. Uses the application's {@link MeterRegistry} (Prometheus, in the moescope application);
 * without one, a private registry.
 *
 * <p>Properties: {@code moescope.ingest.lag.interval} (10s) between lag measurements;
 * {@code moescope.ingest.health.lag-window} (5m) over which growing lag or stalled commits turn health DOWN;
 * {@code moescope.ingest.health.failing-for} (30s) of failing batches that turn it DOWN;
 * {@code moescope.ingest.health.database-timeout} (3s) for the database check.
 */
@Configuration(proxyBeanMethods = false)
public class MonitoringConfiguration {

    @Bean
    IngestMetrics moescopeIngestMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<Clock> clock) {
        return new IngestMetrics(registry.getIfUnique(SimpleMeterRegistry::new), clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    LagHistory moescopeIngestLagHistory(@Value("${moescope.ingest.health.lag-window:5m}") Duration window) {
        return new LagHistory(window);
    }

    @Bean
    ConsumerLagMonitor moescopeIngestLagMonitor(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles,
                                                IngestMetrics metrics, LagHistory history,
                                                ObjectProvider<Clock> clock,
                                                @Value("${moescope.ingest.lag.interval:10s}") Duration interval) {
        Map<String, Object> consumer = kafka.buildConsumerProperties(sslBundles.getIfAvailable());
        Object group = consumer.getOrDefault(ConsumerConfig.GROUP_ID_CONFIG, IngestGroup.DEFAULT_GROUP_ID);
        return new ConsumerLagMonitor(kafka.buildAdminProperties(sslBundles.getIfAvailable()), Map.of(
                String.valueOf(group), List.of(Topics.ROUTING),
                group + IngestGroup.RUNS_GROUP_SUFFIX, List.of(Topics.RUNS)), metrics.registry(), history,
                clock.getIfUnique(Clock::systemUTC), interval);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Health {

        /** Bean name minus "HealthIndicator": the {@code ingest} component of /actuator/health. */
        @Bean
        IngestHealthIndicator ingestHealthIndicator(DataSource dataSource, IngestMetrics metrics, LagHistory lag,
                ConsumerLagMonitor monitor, ObjectProvider<Clock> clock,
                @Value("${moescope.ingest.health.database-timeout:3s}") Duration databaseTimeout,
                @Value("${moescope.ingest.health.failing-for:30s}") Duration failingFor) {
            return new IngestHealthIndicator(dataSource, metrics, lag, monitor, clock.getIfUnique(Clock::systemUTC),
                    databaseTimeout, failingFor);
        }
    }
}
