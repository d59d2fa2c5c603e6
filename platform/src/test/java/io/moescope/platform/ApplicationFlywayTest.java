package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The application's Flyway is configured by {@link NewerSchemaRefusal}: no migration state is ignored. */
class ApplicationFlywayTest extends EmbeddedPlatformTest {

    @Autowired
    private Flyway flyway;

    @Test
    void theApplicationsFlywayIgnoresNoNewerMigration() {
        assertThat(flyway.getConfiguration().getIgnoreMigrationPatterns()).isEmpty();
    }
}
