package io.moescope.ingest.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Where a test's databases come from, so one test class runs on either storage path: the embedded plain PostgreSQL
 * ({@link #EMBEDDED_POSTGRES}, always there) or the TimescaleDB server ({@link TimescaleDbServer#databases}). Each
 * call gives a new database of its own.
 */
public interface Databases {

    Databases EMBEDDED_POSTGRES = prefix -> {
        String name = TestPostgres.createDatabase(prefix);
        return new Database(TestPostgres.jdbcUrl(name), TestPostgres.USER, "");
    };

    /** A new database without any migration applied. */
    Database create(String prefix);

    /** A new database without any migration applied. */
    default DataSource empty(String prefix) {
        return create(prefix).dataSource();
    }

    /** A new database with the project's migrations applied, as ingest and the platform run them on start. */
    default DataSource migrated(String prefix) {
        DataSource db = empty(prefix);
        Flyway.configure().dataSource(db).load().migrate();
        return db;
    }
}
