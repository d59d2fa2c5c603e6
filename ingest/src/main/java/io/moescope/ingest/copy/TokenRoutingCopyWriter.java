package io.moescope.ingest.copy;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores {@link TokenRouting} rows effectively once and keeps the {@code expert_load}, {@code expert_load_minute} and
 * {@code run_volume} rollups in step, inside the caller's transaction.
 *
 * <p>The normal batch is all new, and takes the fast path: binary COPY straight into {@code token_routing} under a
 * savepoint, then one statement that adds the batch's own counts ({@link BatchRollups}, counted in Java) to the three
 * rollups. That is the raw-COPY physical limit plus one small statement. When the COPY hits a key that is already
 * stored (a batch redelivered after a crash, a key repeated within the batch, another consumer that stored the same
 * record during a rebalance), the unique violation rolls back to the savepoint and the batch takes the safe path:
 * COPY into a session-private staging table, then one statement that inserts with {@code ON CONFLICT DO NOTHING} and
 * feeds the rollups from the rows that statement actually inserted. Either way a replay adds nothing and nothing is
 * counted twice.
 *
 * <p>Rows are written in key order, and every rollup upsert runs in primary-key order, so concurrent writers of
 * overlapping batches lock the same rows in the same order and wait for each other instead of deadlocking.
 *
 * <p>Before writing, the partitions of the batch's days are created where missing ({@link TimePartitions}).
 *
 * <p>Plain JDBC; thread-safe. The connection must be pgjdbc's (or unwrap to it, as Hikari's does).
 */
public final class TokenRoutingCopyWriter {

    static final String STAGING_TABLE = "moescope_token_routing_staging";

    private static final String UNIQUE_VIOLATION = "23505";
    /** "no partition of relation ... found for row": a partition this writer believed in is gone (retention). */
    private static final String CHECK_VIOLATION = "23514";

    private static final String COLUMNS =
            "run_id, request_id, token_index, token_id, phase, routed_at, layers, expert_ids, weights, router_entropy";
    private static final int FIELDS = 10;

    private static final String COPY_DIRECT = "COPY token_routing (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    // LIKE keeps the staging columns identical to token_routing's; no primary key, so repeats reach the INSERT,
    // which skips them. ON COMMIT DELETE ROWS: the table outlives the transaction (no catalog churn per batch)
    // but never its rows. toast_tuple_target: rows up to a page stay inline and uncompressed (top-8 rows of
    // 32 layers are ~2.5 kB); compressing incompressible floats only to decompress them a moment later is waste.
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING_TABLE
            + " (LIKE token_routing) WITH (toast_tuple_target = 8160) ON COMMIT DELETE ROWS";

    private static final String COPY_STAGING = "COPY pg_temp." + STAGING_TABLE + " (" + COLUMNS
            + ") FROM STDIN (FORMAT binary)";

    // The safe path: insert what is not stored yet and count only that. k (experts per layer) is the same for all
    // layers of a row: cardinality(expert_ids) / cardinality(layers); the expert at 1-based position p belongs to
    // layers[(p - 1) / k + 1].
    private static final String INSERT_NEW_AND_ROLL_UP = """
            WITH staged AS (
                DELETE FROM pg_temp.%1$s RETURNING %2$s
            ), inserted AS (
                INSERT INTO token_routing (%2$s)
                SELECT %2$s FROM staged
                ORDER BY run_id, request_id, token_index, routed_at
                ON CONFLICT (run_id, request_id, token_index, routed_at) DO NOTHING
                RETURNING run_id, phase, routed_at, layers, expert_ids
            ), selections AS (
                SELECT i.run_id, date_bin('1 minute', i.routed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                       i.layers[(e.position - 1) / (cardinality(i.expert_ids) / cardinality(i.layers)) + 1] AS layer,
                       e.expert, i.phase
                FROM inserted i
                CROSS JOIN LATERAL unnest(i.expert_ids) WITH ORDINALITY AS e(expert, position)
            ), minute AS (
                INSERT INTO expert_load_minute (run_id, bucket, layer, expert, phase, tokens)
                SELECT run_id, bucket, layer, expert, phase, count(*) FROM selections
                GROUP BY run_id, bucket, layer, expert, phase
                ORDER BY run_id, bucket, layer, expert, phase
                ON CONFLICT (run_id, bucket, layer, expert, phase)
                    DO UPDATE SET tokens = expert_load_minute.tokens + EXCLUDED.tokens
            ), load AS (
                INSERT INTO expert_load (run_id, layer, expert, phase, tokens)
                SELECT run_id, layer, expert, phase, count(*) FROM selections
                GROUP BY run_id, layer, expert, phase
                ORDER BY run_id, layer, expert, phase
                ON CONFLICT (run_id, layer, expert, phase)
                    DO UPDATE SET tokens = expert_load.tokens + EXCLUDED.tokens
            ), volume AS (
                INSERT INTO run_volume (run_id, tokens, decisions, first_routed_at, last_routed_at)
                SELECT run_id, count(*), sum(cardinality(layers)), min(routed_at), max(routed_at)
                FROM inserted
                GROUP BY run_id
                ORDER BY run_id
                ON CONFLICT (run_id) DO UPDATE SET
                    tokens = run_volume.tokens + EXCLUDED.tokens,
                    decisions = run_volume.decisions + EXCLUDED.decisions,
                    first_routed_at = LEAST(run_volume.first_routed_at, EXCLUDED.first_routed_at),
                    last_routed_at = GREATEST(run_volume.last_routed_at, EXCLUDED.last_routed_at)
            )
            SELECT count(*), coalesce(sum(cardinality(layers)), 0) FROM inserted
            """.formatted(STAGING_TABLE, COLUMNS);

    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z), the origin of binary timestamps. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private static final Comparator<TokenRouting> KEY_ORDER = Comparator.comparing(TokenRouting::runId)
            .thenComparing(TokenRouting::requestId)
            .thenComparingInt(TokenRouting::tokenIndex)
            .thenComparingLong(TokenRouting::timestampMicros);

    private final TimePartitions partitions = new TimePartitions();

    /**
     * Writes {@code tokens} in the caller's transaction; the caller commits or rolls back.
     *
     * @param connection a connection with auto-commit off
     * @throws IllegalArgumentException when a token cannot be stored (see {@link StorableTokens#check}); nothing is
     *                                  written then
     */
    public WriteResult write(Connection connection, List<TokenRouting> tokens) throws SQLException {
        if (tokens.isEmpty()) {
            return new WriteResult(0, 0, 0);
        }
        if (connection.getAutoCommit()) {
            // The staging table empties at every commit, the savepoint needs a transaction, and the batch must be
            // atomic.
            throw new IllegalStateException("TokenRoutingCopyWriter needs a transaction: auto-commit is on");
        }
        tokens.forEach(StorableTokens::check);
        List<TokenRouting> sorted = new ArrayList<>(tokens);
        sorted.sort(KEY_ORDER);
        partitions.ensure(connection, sorted);
        PGConnection pg = connection.unwrap(PGConnection.class);
        BatchRollups rollups = BatchRollups.of(sorted);
        if (rollups == null) {
            return writeNewOnly(connection, pg, sorted);
        }
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            copy(pg, COPY_DIRECT, sorted);
        } catch (SQLException e) {
            connection.rollback(beforeCopy);
            if (CHECK_VIOLATION.equals(e.getSQLState())) {
                partitions.forget();
                partitions.create(connection, epochDays(sorted));
            } else if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            return writeNewOnly(connection, pg, sorted);
        }
        connection.releaseSavepoint(beforeCopy);
        rollups.upsert(connection);
        return new WriteResult(tokens.size(), tokens.size(), rollups.decisions());
    }

    /** The safe path: stores the tokens not stored yet and counts only those. */
    private static WriteResult writeNewOnly(Connection connection, PGConnection pg, List<TokenRouting> tokens)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        copy(pg, COPY_STAGING, tokens);
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(INSERT_NEW_AND_ROLL_UP)) {
            rs.next();
            return new WriteResult(tokens.size(), rs.getInt(1), rs.getLong(2));
        }
    }

    private static Set<Long> epochDays(List<TokenRouting> tokens) {
        var days = new TreeSet<Long>();
        tokens.forEach(t -> days.add(Math.floorDiv(t.timestampMicros(), TimePartitions.DAY_MICROS)));
        return days;
    }

    private static void copy(PGConnection connection, String sql, List<TokenRouting> tokens) throws SQLException {
        CopyIn copyIn = connection.getCopyAPI().copyIn(sql);
        try {
            encode(tokens, copyIn::writeToCopy);
            copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy(); // an exception above: leave the connection usable for the rollback
            }
        }
    }

    /** Writes {@code tokens} as one binary COPY stream (header, tuples, trailer) of token_routing's columns. */
    static void encode(List<TokenRouting> tokens, PgBinaryCopyBuffer.Sink sink) throws SQLException {
        var out = new PgBinaryCopyBuffer(sink);
        out.header();
        // Tokens of one request share their ids: encode them once per run of equal strings.
        String runId = null;
        String requestId = null;
        byte[] runIdBytes = null;
        byte[] requestIdBytes = null;
        for (TokenRouting token : tokens) {
            if (!token.runId().equals(runId)) {
                runId = token.runId();
                runIdBytes = runId.getBytes(StandardCharsets.UTF_8);
            }
            if (!token.requestId().equals(requestId)) {
                requestId = token.requestId();
                requestIdBytes = requestId.getBytes(StandardCharsets.UTF_8);
            }
            writeTuple(out, token, runIdBytes, requestIdBytes);
        }
        out.finish();
    }

    private static void writeTuple(PgBinaryCopyBuffer out, TokenRouting token, byte[] runId, byte[] requestId)
            throws SQLException {
        List<RouterDecision> decisions = token.decisions();
        int layers = decisions.size();
        int experts = layers == 0 ? 0 : layers * decisions.get(0).topK();
        int entropyNulls = 0;
        for (RouterDecision decision : decisions) {
            if (!decision.hasRouterEntropy()) {
                entropyNulls++;
            }
        }
        int layersBytes = PgBinaryCopyBuffer.arrayBytes(layers, 2);
        int expertBytes = PgBinaryCopyBuffer.arrayBytes(experts, 2);
        int weightBytes = PgBinaryCopyBuffer.arrayBytes(experts, 4);
        int entropyBytes = PgBinaryCopyBuffer.arrayBytes(layers, 4) - entropyNulls * 4; // a NULL is its length only
        int tupleBytes = 2 + FIELDS * 4 + runId.length + requestId.length + 4 + 4 + 2 + 8
                + layersBytes + expertBytes + weightBytes + entropyBytes;

        out.beginTuple(FIELDS, tupleBytes);
        out.bytesField(runId);
        out.bytesField(requestId);
        out.int4Field(token.tokenIndex());
        out.int4Field(token.tokenId());
        out.int2Field(BatchRollups.phaseCode(token.phase()));
        out.int8Field(token.timestampMicros() - PG_EPOCH_MICROS);

        out.beginArray(PgBinaryCopyBuffer.INT2_OID, layers, layersBytes, false);
        for (RouterDecision decision : decisions) {
            out.int2Element(decision.layer());
        }
        out.beginArray(PgBinaryCopyBuffer.INT2_OID, experts, expertBytes, false);
        for (RouterDecision decision : decisions) {
            for (int expert : decision.expertIds()) {
                out.int2Element(expert);
            }
        }
        out.beginArray(PgBinaryCopyBuffer.FLOAT4_OID, experts, weightBytes, false);
        for (RouterDecision decision : decisions) {
            for (float weight : decision.weights()) {
                out.float4Element(weight);
            }
        }
        out.beginArray(PgBinaryCopyBuffer.FLOAT4_OID, layers, entropyBytes, entropyNulls > 0);
        for (RouterDecision decision : decisions) {
            if (decision.hasRouterEntropy()) {
                out.float4Element(decision.routerEntropy());
            } else {
                out.nullElement();
            }
        }
    }
}
