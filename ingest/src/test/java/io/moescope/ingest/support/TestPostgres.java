package io.moescope.ingest.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL server (zonky, PostgreSQL 17) for the whole test JVM; every test class gets its own
 * database in it, so classes never see each other's rows.
 */
public final class TestPostgres {

    public static final String USER = "postgres";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {
    }

    private static final class Server {
        static final EmbeddedPostgres INSTANCE = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is going away anyway
                    }
                }));
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
        }
    }

    /** Creates an empty database and returns its name. */
    public static String createDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection connection = Server.INSTANCE.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    /** Creates a database with the project's migrations applied, as ingest runs them. */
    public static DataSource createMigratedDatabase(String prefix) {
        DataSource dataSource = dataSource(createDatabase(prefix));
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }

    public static DataSource dataSource(String database) {
        return Server.INSTANCE.getDatabase(USER, database);
    }

    public static String jdbcUrl(String database) {
        return Server.INSTANCE.getJdbcUrl(USER, database);
    }
}
