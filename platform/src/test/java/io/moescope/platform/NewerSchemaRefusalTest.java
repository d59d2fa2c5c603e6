package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.ingest.support.Databases;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Going back to this release after a newer one migrated the database: this release's Flyway, configured as the
 * application configures it, refuses to start naming the newer migration. The newer release is stood in for by its
 * row in Flyway's history, as its migration would have left it.
 */
class NewerSchemaRefusalTest {

    private static FluentConfiguration thisRelease(DataSource db) {
        FluentConfiguration configuration = Flyway.configure().dataSource(db).locations("classpath:db/migration");
        new NewerSchemaRefusal().customize(configuration);
        return configuration;
    }

    /** This release's schema, then the history row of a newer release's migration V9999. */
    private static DataSource migratedByANewerRelease(String name) {
        DataSource db = Databases.EMBEDDED_POSTGRES.empty(name);
        thisRelease(db).load().migrate();
        new JdbcTemplate(db).update("""
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                                                   installed_by, execution_time, success)
                SELECT max(installed_rank) + 1, '9999', 'a newer release', 'SQL', 'V9999__a_newer_release.sql', 0,
                       current_user, 1, true
                FROM flyway_schema_history""");
        return db;
    }

    @Test
    void aDatabaseMigratedByANewerReleaseIsRefusedNamingItsMigration() {
        DataSource db = migratedByANewerRelease("newer_schema");
        assertThatThrownBy(() -> thisRelease(db).load().migrate())
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("Detected applied migration not resolved locally: 9999");
    }

    @Test
    void flywaysDefaultWouldStartOnItWhichIsWhyTheApplicationRefusesIt() {
        DataSource db = migratedByANewerRelease("newer_schema_default");
        assertThat(Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate().success)
                .isTrue();
    }

    @Test
    void aDatabaseOfThisReleaseStartsAgain() {
        DataSource db = Databases.EMBEDDED_POSTGRES.empty("this_release_again");
        thisRelease(db).load().migrate();
        assertThat(thisRelease(db).load().migrate().migrationsExecuted).isZero();
    }
}
