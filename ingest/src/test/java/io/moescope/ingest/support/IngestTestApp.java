package io.moescope.ingest.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.ingest.consumer.IngestConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Ingest as an application imports it, with a meter registry the tests can read. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestConfiguration.class)
public class IngestTestApp {

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
