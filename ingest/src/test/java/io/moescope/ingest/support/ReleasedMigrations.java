package io.moescope.ingest.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database as an earlier release left it, for upgrade tests: the versioned migrations up to that release's last
 * one, exactly as released (released migrations are never edited), and no repeatable migrations: releases up to
 * V45 had none. (Flyway applies repeatable migrations also when migrating to a target version, so a plain
 * {@code target(...)} would give a schema no release ever had: today's functions on an old schema.)
 */
public final class ReleasedMigrations {

    /** The last migration of the previous release: databases in the field are at this version. */
    public static final String PREVIOUS_RELEASE = "45";

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
        return Flyway.configure().dataSource(db).target(lastVersion)
                .repeatableSqlMigrationPrefix(NO_REPEATABLE_MIGRATIONS).load();
    }
}
