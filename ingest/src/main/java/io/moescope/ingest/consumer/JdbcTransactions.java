package io.moescope.ingest.consumer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** One JDBC transaction around plain-JDBC work, without Spring's transaction machinery in the way. */
public final class JdbcTransactions {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface EventWork<T> {
        void write(Connection connection, T event) throws SQLException;
    }

    private final DataSource dataSource;

    public JdbcTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} and commits, or rolls back and throws.
     *
     * @throws IngestStorageException when the database fails (down, timeout, constraint)
     */
    public <T> T inTransaction(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            // The pool restores auto-commit when the connection goes back.
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IngestStorageException("could not store " + what + ": " + e.getMessage(), e);
        }
    }

    /** Writes the events one by one, in order, in one transaction: all of them or, on failure, none. */
    <T> void writeEach(String what, List<T> events, EventWork<T> write) {
        inTransaction(what, connection -> {
            for (T event : events) {
                write.write(connection, event);
            }
            return null;
        });
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is likely broken; the pool will evict it
        }
    }
}
