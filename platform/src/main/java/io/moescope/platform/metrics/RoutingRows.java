package io.moescope.platform.metrics;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Streams the raw decisions of a token set out of {@code token_routing}, ordered by request and token index, in
 * constant memory: a cursor (autocommit off, fetch size) instead of a result list, so a run of 10 M decisions never
 * sits in the heap.
 */
@Component
public class RoutingRows {

    static final int FETCH_SIZE = 2000;

    private final DataSource dataSource;

    RoutingRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Hands every token of the set to {@code sink}, request by request, tokens in index order. */
    public void forEach(TokenSet set, Consumer<TokenRouting> sink) {
        var sql = new StringBuilder("SELECT request_id, token_index, token_id, phase, routed_at, layers, expert_ids"
                + " FROM token_routing WHERE run_id = ?");
        var params = new ArrayList<Object>(List.of(set.runId()));
        set.requestId().ifPresent(r -> {
            sql.append(" AND request_id = ?");
            params.add(r);
        });
        set.phase().ifPresent(p -> {
            sql.append(" AND phase = ?");
            params.add((short) p.ordinal());
        });
        set.from().ifPresent(f -> {
            sql.append(" AND routed_at >= ?");
            params.add(Timestamp.from(f));
        });
        set.to().ifPresent(t -> {
            sql.append(" AND routed_at < ?");
            params.add(Timestamp.from(t));
        });
        sql.append(" ORDER BY request_id, token_index");
        stream(sql.toString(), params, rs -> sink.accept(token(set.runId(), rs, 1)));
    }

    /**
     * Runs a query through a server-side cursor and hands each row to {@code row}.
     *
     * @throws DataAccessResourceFailureException when the database fails
     */
    void stream(String sql, List<Object> params, RowHandler row) {
        try (Connection connection = dataSource.getConnection()) {
            // pgjdbc only uses a cursor (and honours the fetch size) inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        row.accept(rs);
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("reading routing decisions failed: " + e.getMessage(), e);
        }
    }

    /**
     * The token whose request_id .. expert_ids columns start at {@code first}. Weights are not read: no metric
     * computed from stored rows uses them, and they would double the bytes read. The decisions carry zeros instead.
     */
    static TokenRouting token(String runId, ResultSet rs, int first) throws SQLException {
        short[] layers = shorts(rs.getArray(first + 5));
        short[] experts = shorts(rs.getArray(first + 6));
        int k = layers.length == 0 ? 0 : experts.length / layers.length;
        var decisions = new ArrayList<RouterDecision>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            int[] ids = new int[k];
            for (int j = 0; j < k; j++) {
                ids[j] = experts[i * k + j];
            }
            decisions.add(RouterDecision.withoutEntropy(layers[i], ids, new float[k]));
        }
        Timestamp routedAt = rs.getTimestamp(first + 4);
        long micros = routedAt.getTime() / 1000 * 1_000_000 + routedAt.getNanos() / 1000;
        return new TokenRouting(runId, rs.getString(first), rs.getInt(first + 1), rs.getInt(first + 2),
                Phase.values()[rs.getShort(first + 3)], micros, decisions);
    }

    private static short[] shorts(Array array) throws SQLException {
        Short[] boxed = (Short[]) array.getArray();
        short[] values = new short[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            values[i] = boxed[i];
        }
        return values;
    }

    @FunctionalInterface
    interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }
}
