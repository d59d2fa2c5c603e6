package io.moescope.platform.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.analytics.alerting.WindowedLoads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka Streams application that keeps windowed expert counts per run and layer (exactly_once_v2, state in a
 * window store with a changelog). Runs with the platform unless {@code moescope.streaming.enabled=false}; several
 * platform instances share the work like any Kafka Streams application with the same application id.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "moescope.streaming.enabled", havingValue = "true", matchIfMissing = true)
class StreamingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StreamingConfiguration.class);

    @Bean
    SmartLifecycle routingWindowsStream(WindowedLoads loads, MeterRegistry meters,
                                        @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
                                        @Value("${moescope.data-dir:.moescope}") Path dataDir,
                                        @Value("${moescope.streaming.application-id:moescope-streams}") String appId,
                                        @Value("${moescope.streaming.bucket:1s}") Duration bucket,
                                        @Value("${moescope.streaming.grace:5s}") Duration grace) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toAbsolutePath().toString());
        // Under exactly-once a bucket update reaches the evaluator at each commit: this bounds the alert latency.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put("consumer.auto.offset.reset", "earliest");
        return new SmartLifecycle() {
            private KafkaStreams streams;

            @Override
            public void start() {
                streams = new KafkaStreams(RoutingWindowsTopology.build(bucket, grace, loads,
                        new LateRecords(meters)), props);
                streams.setUncaughtExceptionHandler(e -> {
                    log.error("routing window stream failed; replacing the thread", e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                streams.start();
                log.info("routing window stream started ({} buckets, exactly_once_v2)", bucket);
            }

            @Override
            public void stop() {
                streams.close(Duration.ofSeconds(10));
            }

            @Override
            public boolean isRunning() {
                return streams != null && streams.state().isRunningOrRebalancing();
            }
        };
    }
}
