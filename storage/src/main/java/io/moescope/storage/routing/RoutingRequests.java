package io.moescope.storage.routing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code routing_request} table (V53): the 4-byte {@code request_key} that {@code token_routing}'s rows carry
 * instead of their run's and request's ids. Plain JDBC; stateless; in the caller's transaction, so that a batch's new
 * requests are stored with its rows or not at all.
 */
public final class RoutingRequests {

    private static final String KEYS = "SELECT moescope_request_keys(?, ?, ?)";

    /** The table's rows as the planner estimates them: the last count (VACUUM, ANALYZE) scaled to its pages now. */
    private static final String KEY_SPACE = """
            SELECT CASE WHEN c.reltuples < 0 THEN 'NaN'::float8
                        WHEN c.relpages = 0 THEN c.reltuples
                        ELSE c.reltuples / c.relpages
                             * (pg_relation_size(c.oid) / current_setting('block_size')::int) END,
                   s.seqmax - s.seqmin + 1
            FROM pg_class c, pg_sequence s
            WHERE c.oid = 'routing_request'::regclass
              AND s.seqrelid = pg_get_serial_sequence('routing_request', 'request_key')::regclass""";

    private RoutingRequests() {
    }

    /**
     * The keys of the (run, request) pairs {@code runIds[i]}, {@code requestIds[i]}, in that order, made for the pairs
     * that have none yet. Pass each pair once, in (run, request) order: concurrent writers then take the locks of new
     * pairs in one order.
     *
     * @param firstMicros the earliest routing time of each pair's tokens, in microseconds from the Unix epoch: the
     *                    time retention judges a new pair's key by (R__routing_requests.sql)
     */
    public static int[] keys(Connection connection, String[] runIds, String[] requestIds, long[] firstMicros)
            throws SQLException {
        if (runIds.length != requestIds.length || runIds.length != firstMicros.length) {
            throw new IllegalArgumentException("run ids, request ids and first times differ in length: "
                    + runIds.length + ", " + requestIds.length + ", " + firstMicros.length);
        }
        if (runIds.length == 0) {
            return new int[0];
        }
        Long[] micros = new Long[firstMicros.length];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = firstMicros[i];
        }
        try (PreparedStatement statement = connection.prepareStatement(KEYS)) {
            statement.setArray(1, connection.createArrayOf("text", runIds));
            statement.setArray(2, connection.createArrayOf("text", requestIds));
            statement.setArray(3, connection.createArrayOf("int8", micros));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Array array = rs.getArray(1);
                Integer[] boxed = (Integer[]) array.getArray();
                int[] keys = new int[boxed.length];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = boxed[i];
                }
                return keys;
            }
        }
    }

    /** How many request keys requests hold and how many there are: a new request needs a key that none holds (V54). */
    public static KeySpace keySpace(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(KEY_SPACE);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new KeySpace(rs.getDouble(1), rs.getLong(2));
        }
    }

    /**
     * The request keys that requests hold, and all there are.
     *
     * @param held the rows of {@code routing_request} as PostgreSQL estimates them (an exact count reads every row):
     *             autovacuum's last count scaled to the table's size now, NaN until the table was first analysed
     * @param keys the keys of the key sequence's range
     */
    public record KeySpace(double held, long keys) {

        /** The share of the keys that requests hold (NaN while {@link #held} is unknown). */
        public double used() {
            return held / keys;
        }
    }
}
