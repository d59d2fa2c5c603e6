package io.moescope.ingest.consumer;

import io.moescope.ingest.support.Databases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link IngestIntegrationTest} on plain PostgreSQL (the embedded server, the partitioned path). */
class IngestIntegrationOnPostgresTest extends IngestIntegrationTest {

    @DynamicPropertySource
    static void postgresDatabase(DynamicPropertyRegistry registry) {
        database(registry, Databases.EMBEDDED_POSTGRES);
    }
}
