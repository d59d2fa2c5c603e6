package io.moescope.ingest.copy;

import io.moescope.events.TokenRouting;
import io.moescope.events.validation.StorableTokens;
import io.moescope.storage.routing.TimePartitions;
import io.moescope.storage.routing.TokenRoutingTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * Stores {@link TokenRouting} rows effectively once and keeps the {@code layer_load}, {@code load_grid_minute} and
 * {@code run_volume} rollups in step, inside the caller's transaction.
 *
 * <p>The normal batch is all new, and takes the fast path: binary COPY straight into {@code token_routing} under a
 * savepoint, then adds the batch's own counts ({@link BatchRollups}, counted in Java) to the three rollups: one small
 * statement, and three for the minute grids. That is the raw-COPY physical limit plus a few small statements. When the COPY hits a key that is already
 * stored (a batch redelivered after a crash, a key repeated within the batch, another consumer that stored the same
 * record during a rebalance), the unique violation rolls back to the savepoint and the batch takes the safe path:
 * COPY into a session-private staging table, then one statement that inserts with {@code ON CONFLICT DO NOTHING} and
 * returns the keys it actually inserted; the writer counts exactly those tokens with the same {@link BatchRollups}
 * and adds them with the same statements as the fast path. Either way a replay adds nothing and nothing is counted
 * twice, and the rollups of new tokens are computed in one place.
 *
 * <p>Rows name their request by its key ({@link BatchRequestKeys}: one statement a batch, in its transaction, makes
 * the keys of new requests). Rows are written in primary-key order, and every rollup upsert runs in primary-key
 * order, so concurrent writers of overlapping batches lock the same rows in the same order and wait for each other
 * instead of deadlocking.
 *
 * <p>Before writing, the partitions of the batch's days are created where missing ({@link TimePartitions}). A day
 * whose partition this writer believes in but retention has dropped meanwhile lands in the default partition (V4),
 * and storage maintenance gives it its partition again.
 *
 * <p>The statements are storage's ({@link TokenRoutingTable}, {@code RollupUpsert}); this class encodes the batch
 * (each token's packed {@code routing} comes ready from the batch, packed as it was decoded) and counts it. Plain
 * JDBC; thread-safe. The connection must be pgjdbc's (or unwrap to it, as Hikari's does).
 */
public final class TokenRoutingCopyWriter {

    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z), the origin of binary timestamps. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final TimePartitions partitions = new TimePartitions();

    /**
     * Writes {@code tokens} in the caller's transaction; the caller commits or rolls back.
     *
     * @param connection a connection with auto-commit off
     * @throws IllegalArgumentException when a token cannot be stored (see {@link StorableTokens#check}); nothing is
     *                                  written then
     */
    public WriteResult write(Connection connection, List<TokenRouting> tokens) throws SQLException {
        tokens.forEach(StorableTokens::check);
        return write(connection, TokenBatch.of(tokens));
    }

    /**
     * Writes the tokens of {@code batch} in the caller's transaction; the caller commits or rolls back. The tokens
     * must be storable ({@link StorableTokens#check}): ingest's listener has validated every one before (its
     * {@code TokenValidator} includes that check), so the writer does not read their decisions again for it.
     *
     * @param connection a connection with auto-commit off
     * @throws IllegalArgumentException when a token's decisions cannot be packed (see
     *                                  {@link io.moescope.events.PackedRouting.Encoder}); nothing is written
     *                                  then
     */
    public WriteResult write(Connection connection, TokenBatch batch) throws SQLException {
        if (batch.isEmpty()) {
            return new WriteResult(0, 0, 0);
        }
        if (connection.getAutoCommit()) {
            // The staging table empties at every commit, the savepoint needs a transaction, and the batch must be
            // atomic.
            throw new IllegalStateException("TokenRoutingCopyWriter needs a transaction: auto-commit is on");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.routingLength(i);
        }
        int[] byIds = keyOrder(batch);
        partitions.ensure(connection, batch.size(), batch::timestampMicros);
        BatchRequestKeys keys = BatchRequestKeys.resolve(connection, batch, byIds);
        int[] order = keys.inKeyOrder(byIds);
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            TokenRoutingTable.copy(connection, sink -> encode(batch, order, keys, sink::write));
        } catch (SQLException e) {
            connection.rollback(beforeCopy);
            if (!TokenRoutingTable.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            return writeNewOnly(connection, batch, order, keys);
        }
        connection.releaseSavepoint(beforeCopy);
        // Counted once the rows are in, not before the COPY: PostgreSQL gets the rows sooner (with consumers that start
        // together, counting first left it idle for the 4-12 ms a 20,000-token batch takes to count), and a batch that
        // takes the safe path counts only what it stored, once.
        BatchRollups rollups = BatchRollups.of(batch);
        rollups.upsert(connection);
        return new WriteResult(batch.size(), batch.size(), rollups.decisions());
    }

    /**
     * The safe path: stores the tokens not stored yet and counts only those, with the fast path's counting and
     * upsert. Of a key repeated in the batch only its first token is staged, so each key the insert returns is one
     * token.
     */
    private static WriteResult writeNewOnly(Connection connection, TokenBatch batch, int[] order,
                                            BatchRequestKeys keys) throws SQLException {
        int[] distinct = firstOfEachKey(batch, order);
        var positions = new HashMap<TokenKey, Integer>(distinct.length * 2);
        for (int token : distinct) {
            positions.put(TokenKey.of(batch, token), token);
        }
        boolean[] stored = new boolean[batch.size()];
        int count = TokenRoutingTable.insertNew(connection, sink -> encode(batch, distinct, keys, sink::write),
                (runId, requestId, tokenIndex, micros) -> {
                    var key = new TokenKey(runId, requestId, tokenIndex, micros);
                    Integer token = positions.get(key);
                    if (token == null) {
                        throw new IllegalStateException("the insert returned a key the batch does not have: " + key);
                    }
                    stored[token] = true;
                });
        if (count == 0) {
            return new WriteResult(batch.size(), 0, 0);
        }
        // In key order (RETURNING's is unspecified): a run's tokens are then contiguous, as BatchRollups counts best.
        int[] inserted = new int[count];
        int i = 0;
        for (int token : distinct) {
            if (stored[token]) {
                inserted[i++] = token;
            }
        }
        BatchRollups rollups = BatchRollups.of(batch, inserted);
        rollups.upsert(connection);
        return new WriteResult(batch.size(), count, rollups.decisions());
    }

    /** {@code order} without the later tokens of a repeated key: in key order, repeats are neighbours. */
    static int[] firstOfEachKey(TokenBatch batch, int[] order) {
        int[] distinct = new int[order.length];
        int n = 0;
        for (int token : order) {
            if (n == 0 || !sameKey(batch, distinct[n - 1], token)) {
                distinct[n++] = token;
            }
        }
        return n == order.length ? order : Arrays.copyOf(distinct, n);
    }

    private static boolean sameKey(TokenBatch batch, int a, int b) {
        return batch.tokenIndex(a) == batch.tokenIndex(b) && batch.timestampMicros(a) == batch.timestampMicros(b)
                && batch.requestId(a).equals(batch.requestId(b)) && batch.runId(a).equals(batch.runId(b));
    }

    /** A {@code token_routing} primary key, {@code routed_at} in microseconds from the Unix epoch. */
    private record TokenKey(String runId, String requestId, int tokenIndex, long micros) {

        static TokenKey of(TokenBatch batch, int token) {
            return new TokenKey(batch.runId(token), batch.requestId(token), batch.tokenIndex(token),
                    batch.timestampMicros(token));
        }
    }

    /**
     * The batch's tokens in (run, request, token index, time) order: the order their request keys are resolved in,
     * and, sorted stably by those keys ({@link BatchRequestKeys#inKeyOrder}), the order rows are written in. Each
     * distinct (run, request) gets its rank once, so the sort compares numbers: comparing the id strings of every pair
     * was 4 % of a consumer thread's CPU (tokens of concurrent requests arrive interleaved, so the batch is never in
     * order).
     */
    static int[] keyOrder(TokenBatch batch) {
        int n = batch.size();
        long[] requestAndIndex = new long[n];
        int[][] rankOf = new int[n][];
        var ranks = new TreeMap<String, TreeMap<String, int[]>>();
        TreeMap<String, int[]> requests = null;
        String runId = null;
        for (int t = 0; t < n; t++) {
            if (!batch.runId(t).equals(runId)) {
                runId = batch.runId(t);
                requests = ranks.computeIfAbsent(runId, id -> new TreeMap<>());
            }
            rankOf[t] = requests.computeIfAbsent(batch.requestId(t), id -> new int[1]);
        }
        int rank = 0;
        for (var run : ranks.values()) {
            for (int[] request : run.values()) {
                request[0] = rank++;
            }
        }
        Integer[] order = new Integer[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            // rank in the high half, the signed token index shifted to unsigned in the low half: one long compare
            requestAndIndex[t] = (long) rankOf[t][0] << 32 | ((batch.tokenIndex(t) ^ Integer.MIN_VALUE) & 0xFFFFFFFFL);
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(requestAndIndex[a], requestAndIndex[b]);
            return c != 0 ? c : Long.compare(batch.timestampMicros(a), batch.timestampMicros(b));
        });
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            result[i] = order[i];
        }
        return result;
    }

    /**
     * Writes the tokens of {@code batch}, in {@code order}, as one binary COPY stream (header, tuples, trailer) of
     * token_routing's columns, each naming its run and request by its key in {@code keys}.
     */
    static void encode(TokenBatch batch, int[] order, BatchRequestKeys keys, PgBinaryCopyBuffer.Sink sink)
            throws SQLException {
        var out = new PgBinaryCopyBuffer(sink);
        out.header();
        for (int token : order) {
            writeTuple(out, batch, token, keys.of(token));
        }
        out.finish();
    }

    private static void writeTuple(PgBinaryCopyBuffer out, TokenBatch batch, int token, int requestKey)
            throws SQLException {
        int routingBytes = batch.routingLength(token);
        int tupleBytes = 2 + TokenRoutingTable.FIELDS * 4 + 4 + 4 + 4 + 2 + 8 + routingBytes;

        out.beginTuple(TokenRoutingTable.FIELDS, tupleBytes);
        out.int4Field(requestKey);
        out.int4Field(batch.tokenIndex(token));
        out.int4Field(batch.tokenId(token));
        out.int2Field(batch.phaseCode(token));
        out.int8Field(batch.timestampMicros(token) - PG_EPOCH_MICROS);
        out.routingField(batch, token, routingBytes);
    }
}
