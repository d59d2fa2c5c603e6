package io.moescope.ingest.timescaledb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real TimescaleDB server that {@code .ci/run} starts ({@code ../shared/timescaledb/start-timescaledb}) and names
 * in {@code MOESCOPE_TIMESCALEDB_URL}: a JDBC URL for the superuser {@code moescope} (password = role name), with the
 * role {@code moescope_owner} that is NOT a superuser, as a managed PostgreSQL gives. Each test gets a database of
 * its own with the extension created in it, as the timescale/timescaledb image's init script does.
 */
final class TimescaleDbServer {

    static final String URL_VARIABLE = "MOESCOPE_TIMESCALEDB_URL";
    static final String SUPERUSER = "moescope";
    static final String OWNER = "moescope_owner";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String url;

    private TimescaleDbServer(String url) {
        this.url = url;
    }

    static Optional<TimescaleDbServer> fromEnvironment() {
        return Optional.ofNullable(System.getenv(URL_VARIABLE)).filter(url -> !url.isBlank())
                .map(TimescaleDbServer::new);
    }

    /** A new database owned by {@code owner}, with the timescaledb extension created by the superuser. */
    String createDatabase(String prefix, String owner) throws SQLException {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, SUPERUSER);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + owner);
        }
        try (Connection c = DriverManager.getConnection(urlOf(name), SUPERUSER, SUPERUSER);
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        }
        return name;
    }

    DataSource dataSource(String database, String role) {
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urlOf(database));
        dataSource.setUser(role);
        dataSource.setPassword(role);
        return dataSource;
    }

    /** A new database, owned by {@code role} and migrated by it as moescope migrates on start. */
    DataSource migratedDatabase(String prefix, String role) throws SQLException {
        DataSource dataSource = dataSource(createDatabase(prefix, role), role);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }

    private String urlOf(String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : url.substring(query));
    }
}
