package io.moescope.ingest.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The real TimescaleDB server that {@code .ci/run} starts ({@code ../shared/timescaledb/start-timescaledb}) and names
 * in {@code MOESCOPE_TIMESCALEDB_URL}: a JDBC URL for the superuser {@code moescope} (password = role name), with the
 * role {@code moescope_owner} that is NOT a superuser, as a managed PostgreSQL gives. Each test gets a database of
 * its own with the extension created in it, as the timescale/timescaledb image's init script does.
 */
public final class TimescaleDbServer {

    public static final String URL_VARIABLE = "MOESCOPE_TIMESCALEDB_URL";
    public static final String SUPERUSER = "moescope";
    public static final String OWNER = "moescope_owner";
    /** Why the TimescaleDB path's tests are skipped, and how to run them. */
    public static final String HOW_TO_RUN = "no TimescaleDB server: set " + URL_VARIABLE
            + " (see ../shared/timescaledb/start-timescaledb; .ci/run does it) to run the TimescaleDB path tests";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String url;

    private TimescaleDbServer(String url) {
        this.url = url;
    }

    public static Optional<TimescaleDbServer> fromEnvironment() {
        return Optional.ofNullable(System.getenv(URL_VARIABLE)).filter(url -> !url.isBlank())
                .map(TimescaleDbServer::new);
    }

    /** The server, or the calling test (class) is skipped with a message saying how to run it. */
    public static TimescaleDbServer required() {
        Optional<TimescaleDbServer> server = fromEnvironment();
        Assumptions.assumeTrue(server.isPresent(), HOW_TO_RUN);
        return server.orElseThrow();
    }

    /** New databases owned by {@code role}, which the tests then connect as. */
    public Databases databases(String role) {
        return prefix -> {
            try {
                return new Database(jdbcUrl(createDatabase(prefix, role)), role, role);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create database " + prefix + " on " + url, e);
            }
        };
    }

    /** A new database owned by {@code owner}, with the timescaledb extension created by the superuser. */
    public String createDatabase(String prefix, String owner) throws SQLException {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, SUPERUSER);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + owner);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(name), SUPERUSER, SUPERUSER);
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        }
        return name;
    }

    /** A new database, owned by {@code role} and migrated by it as moescope migrates on start. */
    public DataSource migratedDatabase(String prefix, String role) {
        return databases(role).migrated(prefix);
    }

    /** The JDBC URL of one of the server's databases. */
    public String jdbcUrl(String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : url.substring(query));
    }
}
