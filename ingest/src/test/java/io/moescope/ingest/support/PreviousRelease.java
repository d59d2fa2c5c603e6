package io.moescope.ingest.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database as the previous release left it, for upgrade tests: the versioned migrations up to
 * {@link #LAST_VERSION} exactly as released (released migrations are never edited), and no repeatable migrations,
 * which that release did not have.
 */
public final class PreviousRelease {

    public static final String LAST_VERSION = "45";

    /** A prefix no file has: Flyway then sees no repeatable migration, as the previous release shipped none. */
    private static final String NO_REPEATABLE_MIGRATIONS = "NOT_IN_THE_PREVIOUS_RELEASE__";

    private PreviousRelease() {
    }

    public static void migrate(DataSource db) {
        Flyway.configure().dataSource(db).target(LAST_VERSION)
                .repeatableSqlMigrationPrefix(NO_REPEATABLE_MIGRATIONS).load().migrate();
    }
}
