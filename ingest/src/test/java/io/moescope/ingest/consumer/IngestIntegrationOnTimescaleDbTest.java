package io.moescope.ingest.consumer;

import io.moescope.ingest.support.TimescaleDbServer;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link IngestIntegrationTest} on the TimescaleDB server (hypertables), as its superuser. */
@EnabledIfEnvironmentVariable(named = TimescaleDbServer.URL_VARIABLE, matches = ".+",
        disabledReason = TimescaleDbServer.HOW_TO_RUN)
class IngestIntegrationOnTimescaleDbTest extends IngestIntegrationTest {

    @DynamicPropertySource
    static void timescaleDbDatabase(DynamicPropertyRegistry registry) {
        database(registry, TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER));
    }
}
