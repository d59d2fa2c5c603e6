package io.moescope.platform;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * Refuses at start-up a database that a newer release has migrated, naming its migrations: Flyway ignores migrations
 * newer than its own by default ({@code ignoreMigrationPatterns} {@code *:future}), so an older release would start on
 * tables it no longer matches, and its ingest would fail every batch (how going back from V48 to V47 went). Every
 * other validation (a changed or missing released migration) stays as Flyway has it.
 */
@Component
class NewerSchemaRefusal implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.ignoreMigrationPatterns(new String[0]);
    }
}
