package io.moescope.ingest.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database as an earlier release left it, for upgrade tests: the versioned migrations up to that release's last
 * one, exactly as released (released migrations are never edited), and the repeatable migrations for releases that
 * had them (from V46 on). Releases up to V45 had none, and for them none is applied: Flyway applies repeatable
 * migrations also when migrating to a target version, so a plain {@code target(...)} would give a schema no release
 * ever had, today's functions on an old schema, and V44's {@code CREATE FUNCTION} would fail on a function an
 * {@code R__} file made first. For later releases this checkout's repeatable migrations stand in for the release's
 * own: they differ only by functions added since, which the versioned migrations that need them declare again with
 * {@code CREATE OR REPLACE}.
 */
public final class ReleasedMigrations {

    /** The last migration of the previous release: databases in the field are at this version. */
    public static final String PREVIOUS_RELEASE = "47";

    /** The first release with repeatable migrations. */
    private static final int FIRST_WITH_REPEATABLE_MIGRATIONS = 46;

    /** A prefix no file has, so Flyway finds no repeatable migration. */
    private static final String NO_REPEATABLE_MIGRATIONS = "NOT_IN_ANY_EARLIER_RELEASE__";

    private ReleasedMigrations() {
    }

    /** Migrates {@code db} as the release whose last migration was {@code lastVersion} did. */
    public static void apply(DataSource db, String lastVersion) {
        flyway(db, lastVersion).migrate();
    }

    /** Flyway as the release whose last migration was {@code lastVersion} ran it on start. */
    public static Flyway flyway(DataSource db, String lastVersion) {
        var flyway = Flyway.configure().dataSource(db).target(lastVersion);
        if (Integer.parseInt(lastVersion) < FIRST_WITH_REPEATABLE_MIGRATIONS) {
            flyway.repeatableSqlMigrationPrefix(NO_REPEATABLE_MIGRATIONS);
        }
        return flyway.load();
    }
}
