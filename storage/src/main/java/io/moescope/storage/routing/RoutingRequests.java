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
}
