package io.moescope.storage.routing;

import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Streams raw decisions out of {@code token_routing} in constant memory: a cursor (autocommit off, fetch size)
 * instead of a result list, so a run of 10 M decisions never sits in the heap. The decisions carry their weights and
 * entropies as stored (binary16, {@link PackedRouting}). They read {@code token_routing_named} (V53), the rows with
 * their request ids, which finds a run's rows through its request keys.
 *
 * <p>A run's tokens are read in one order, the requests' arrival: by {@code request_key}, then token index. Ingest
 * draws a request's key when the request's first tokens are stored (requests new in one batch in request id order),
 * so a request that arrives later is read after every one before it, whatever its id: a reader that kept the
 * requests read so far ({@link #forEachAfter}) reads only the new ones, for the tap's random ids and the probe's
 * {@code req-1, req-2, ..., req-10} alike. Runs stored before V53 got their keys in request id order.
 */
public final class RoutingReader {

    static final int FETCH_SIZE = 2000;

    private static final String COLUMNS = "request_id, token_index, token_id, phase, routed_at, routing";

    private static final String PAIRS = """
            SELECT a.request_id, a.token_index, a.token_id, a.phase, a.routed_at, a.routing,
                   b.request_id, b.token_index, b.token_id, b.phase, b.routed_at, b.routing
            FROM token_routing_named a JOIN token_routing_named b
              ON b.run_id = ? AND b.request_id = a.request_id AND b.token_index = a.token_index
             AND b.token_id = a.token_id
            WHERE a.run_id = ? AND (CAST(? AS smallint) IS NULL OR a.phase = CAST(? AS smallint))""";

    /** The arrival order of a run's tokens; the primary key's order, so the cursor needs no sort. */
    private static final String IN_ARRIVAL_ORDER = " ORDER BY request_key, token_index";

    /** The requests that arrived after the given one: an unknown request has no key, and no request follows it. */
    private static final String AFTER_REQUEST =
            " AND request_key > (SELECT request_key FROM routing_request WHERE run_id = ? AND request_id = ?)";

    private static final String RUN_TOKENS = "SELECT tokens FROM run_volume WHERE run_id = ?";

    private final DataSource dataSource;

    public RoutingReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Hands every token of the run that matches the filters to {@code sink}, request by request in their arrival
     * order, tokens in index order.
     *
     * @param phase the tokens' phase; empty for both
     * @param from  the earliest routing time (inclusive); empty for no bound
     * @param to    the latest routing time (exclusive); empty for no bound
     */
    public void forEach(String runId, Optional<String> requestId, Optional<Phase> phase, Optional<Instant> from,
                        Optional<Instant> to, Consumer<TokenRouting> sink) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM token_routing_named WHERE run_id = ?");
        var params = new ArrayList<Object>(List.of(runId));
        requestId.ifPresent(r -> {
            sql.append(" AND request_id = ?");
            params.add(r);
        });
        phase.ifPresent(p -> {
            sql.append(" AND phase = ?");
            params.add((short) p.code());
        });
        from.ifPresent(f -> {
            sql.append(" AND routed_at >= ?");
            params.add(Timestamp.from(f));
        });
        to.ifPresent(t -> {
            sql.append(" AND routed_at < ?");
            params.add(Timestamp.from(t));
        });
        sql.append(IN_ARRIVAL_ORDER);
        stream(sql.toString(), params, rs -> sink.accept(token(runId, rs, 1)));
    }

    /**
     * Hands every token of the run's requests that arrived after {@code afterRequest} (in the order of
     * {@link #forEach}; every request when empty) to {@code sink}, request by request, tokens in index order; and,
     * from the same snapshot, says how many tokens the whole run holds ({@code run_volume}, which ingest adds to in
     * the transaction that stores the tokens): a reader that kept the requests up to {@code afterRequest} covers the
     * run exactly when it kept that many less the tail's. A request whose key was drawn before
     * {@code afterRequest}'s but whose tokens were stored after it (two writers' transactions committing in the other
     * order), or an {@code afterRequest} whose key retention removed (no tail is read then), breaks that sum.
     *
     * @return the tokens the run held in the snapshot the tail was read from (0 when none)
     */
    public long forEachAfter(String runId, Optional<String> afterRequest, Consumer<TokenRouting> sink) {
        String sql = "SELECT " + COLUMNS + " FROM token_routing_named WHERE run_id = ?"
                + (afterRequest.isPresent() ? AFTER_REQUEST : "") + IN_ARRIVAL_ORDER;
        var params = new ArrayList<Object>(List.of(runId));
        afterRequest.ifPresent(request -> params.addAll(List.of(runId, request)));
        long[] runTokens = {0};
        inSnapshot(connection -> {
            stream(connection, sql, params, rs -> sink.accept(token(runId, rs, 1)));
            stream(connection, RUN_TOKENS, List.of(runId), rs -> runTokens[0] = rs.getLong(1));
        });
        return runTokens[0];
    }

    /**
     * Hands on the tokens both runs saw at the same request and position with the same token id, as pairs (a's,
     * b's); the pairing is a join in PostgreSQL.
     *
     * @param phase the tokens' phase in run a; empty for both
     */
    public void forEachPair(String a, String b, Optional<Phase> phase, BiConsumer<TokenRouting, TokenRouting> pair) {
        Short phaseCode = phase.map(p -> (short) p.code()).orElse(null);
        stream(PAIRS, Arrays.asList(b, a, phaseCode, phaseCode),
                rs -> pair.accept(token(a, rs, 1), token(b, rs, 7)));
    }

    /** Runs a query through a server-side cursor and hands each row to {@code row}. */
    private void stream(String sql, List<Object> params, RowHandler row) {
        inTransaction(Connection.TRANSACTION_READ_COMMITTED, connection -> stream(connection, sql, params, row));
    }

    /** Queries that all see one snapshot of the database, the first one's. */
    private void inSnapshot(Queries queries) {
        inTransaction(Connection.TRANSACTION_REPEATABLE_READ, queries);
    }

    private void inTransaction(int isolation, Queries queries) {
        try (Connection connection = dataSource.getConnection()) {
            // pgjdbc only uses a cursor (and honours the fetch size) inside a transaction.
            connection.setAutoCommit(false);
            int isolationBefore = connection.getTransactionIsolation();
            connection.setTransactionIsolation(isolation);
            try {
                queries.run(connection);
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(isolationBefore);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("reading routing decisions failed: " + e.getMessage(), e);
        }
    }

    private static void stream(Connection connection, String sql, List<Object> params, RowHandler row)
            throws SQLException {
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
        }
    }

    /** The token whose request_id .. routing columns start at {@code first}. */
    private static TokenRouting token(String runId, ResultSet rs, int first) throws SQLException {
        List<RouterDecision> decisions = PackedRouting.decode(rs.getBytes(first + 5));
        Timestamp routedAt = rs.getTimestamp(first + 4);
        long micros = routedAt.getTime() / 1000 * 1_000_000 + routedAt.getNanos() / 1000;
        return new TokenRouting(runId, rs.getString(first), rs.getInt(first + 1), rs.getInt(first + 2),
                Phase.ofCode(rs.getShort(first + 3)), micros, decisions);
    }

    @FunctionalInterface
    private interface Queries {
        void run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }
}
