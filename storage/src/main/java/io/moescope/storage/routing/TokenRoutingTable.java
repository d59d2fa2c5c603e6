package io.moescope.storage.routing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The statements that store raw routing rows in {@code token_routing}: binary COPY straight into the table (the fast
 * path) and, when a key may already be stored, COPY into a session-private staging table and an insert that skips
 * stored keys and returns the keys it inserted (the safe path). The rows come as a binary COPY stream of
 * {@link #COLUMNS}, in that order, which the caller encodes; a row names its run and request by its
 * {@code request_key} ({@link RoutingRequests}, V53). Plain JDBC over pgjdbc (or a pool that unwraps to it);
 * stateless; in the caller's transaction.
 */
public final class TokenRoutingTable {

    /** The columns of the COPY stream, in order. */
    public static final String COLUMNS = "request_key, token_index, token_id, phase, routed_at, routing";

    /** The number of {@link #COLUMNS}: the field count of each tuple. */
    public static final int FIELDS = 6;

    /** The SQLSTATE of a unique violation: the fast path's COPY met a key that is already stored. */
    public static final String UNIQUE_VIOLATION = "23505";

    static final String STAGING_TABLE = "moescope_token_routing_staging";

    private static final String COPY_DIRECT = "COPY token_routing (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    // LIKE keeps the staging columns identical to token_routing's; no primary key, so repeats reach the INSERT,
    // which skips them. ON COMMIT DELETE ROWS: the table outlives the transaction (no catalog churn per batch)
    // but never its rows. toast_tuple_target: rows up to a page stay inline and uncompressed (top-8 rows of
    // 32 layers are ~0.9 kB); compressing incompressible floats only to decompress them a moment later is waste.
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING_TABLE
            + " (LIKE token_routing) WITH (toast_tuple_target = 8160) ON COMMIT DELETE ROWS";

    private static final String COPY_STAGING = "COPY pg_temp." + STAGING_TABLE + " (" + COLUMNS
            + ") FROM STDIN (FORMAT binary)";

    // Insert what is not stored yet and say which keys that was; the caller counts exactly those tokens. DELETE ...
    // RETURNING empties the staging table for the next write of the same transaction. In key order, so that
    // concurrent writers of overlapping batches lock rows in the same order. The keys go back with their request's
    // ids, as the batch knows its tokens.
    private static final String INSERT_NEW_RETURNING_KEYS = """
            WITH staged AS (
                DELETE FROM pg_temp.%1$s RETURNING %2$s
            ), inserted AS (
                INSERT INTO token_routing (%2$s)
                SELECT %2$s FROM staged
                ORDER BY request_key, token_index, routed_at
                ON CONFLICT (request_key, token_index, routed_at) DO NOTHING
                RETURNING request_key, token_index, routed_at
            )
            SELECT r.run_id, r.request_id, i.token_index, i.routed_at
            FROM inserted i JOIN routing_request r ON r.request_key = i.request_key
            """.formatted(STAGING_TABLE, COLUMNS);

    private static final String COPY_RAW = "COPY token_routing (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    private TokenRoutingTable() {
    }

    /** Receives chunks of a binary COPY stream, e.g. pgjdbc's {@code CopyIn.writeToCopy}. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** Writes a whole binary COPY stream (header, tuples of {@link #COLUMNS}, trailer) to a sink. */
    @FunctionalInterface
    public interface Rows {
        void encode(Sink sink) throws SQLException;
    }

    /** Receives a key the safe path's insert stored. */
    @FunctionalInterface
    public interface InsertedKey {
        void accept(String runId, String requestId, int tokenIndex, long routedAtMicros);
    }

    /**
     * COPYs {@code rows} straight into {@code token_routing}. A key already stored fails the whole COPY with
     * {@link #UNIQUE_VIOLATION}; the caller rolls back (to a savepoint) and takes {@link #insertNew}.
     */
    public static void copy(Connection connection, Rows rows) throws SQLException {
        copy(connection.unwrap(PGConnection.class), COPY_DIRECT, rows);
    }

    /**
     * Stores those of {@code rows} whose key is not stored yet, and hands each key it stored to {@code inserted}.
     * Of rows with one key, which is stored is not specified: pass each key once.
     *
     * @return the number of rows stored
     */
    public static int insertNew(Connection connection, Rows rows, InsertedKey inserted) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        copy(connection.unwrap(PGConnection.class), COPY_STAGING, rows);
        int count = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(INSERT_NEW_RETURNING_KEYS)) {
            while (rs.next()) {
                OffsetDateTime routedAt = rs.getObject(4, OffsetDateTime.class);
                long micros = Math.addExact(Math.multiplyExact(routedAt.toEpochSecond(), 1_000_000L),
                        routedAt.getNano() / 1_000);
                inserted.accept(rs.getString(1), rs.getString(2), rs.getInt(3), micros);
                count++;
            }
        }
        return count;
    }

    /**
     * COPYs a pre-encoded stream of {@link #COLUMNS}, with no idempotency and no rollups: the
     * physical limit the ingest benchmark compares against.
     *
     * @return rows copied
     */
    public static long copyRaw(Connection connection, byte[] stream) throws SQLException {
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RAW,
                    new ByteArrayInputStream(stream), 1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(PGConnection connection, String sql, Rows rows) throws SQLException {
        CopyIn copyIn = connection.getCopyAPI().copyIn(sql);
        try {
            rows.encode(copyIn::writeToCopy);
            copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy(); // an exception above: leave the connection usable for the rollback
            }
        }
    }
}
