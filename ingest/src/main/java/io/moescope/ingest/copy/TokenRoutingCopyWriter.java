package io.moescope.ingest.copy;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores {@link TokenRouting} rows effectively once and keeps the {@code expert_load} and {@code run_volume} rollups
 * in step, inside the caller's transaction.
 *
 * <p>Three round trips per batch: create the session's staging table if needed, binary COPY into it, then one
 * statement that drains the staging table, inserts into {@code token_routing} with {@code ON CONFLICT DO NOTHING}
 * and feeds both rollups from the rows that statement actually inserted. A replayed batch therefore adds nothing,
 * and a key repeated inside one batch is stored (and counted) once. The writer passes its own per-expert counts of
 * the batch along; the statement uses them when every token was inserted and counts from the inserted rows otherwise
 * (see {@link BatchExpertLoad}).
 *
 * <p>Every insert and upsert runs in primary-key order, so concurrent writers (one per Kafka partition) lock the
 * same rows in the same order and wait for each other instead of deadlocking.
 *
 * <p>Plain JDBC; stateless and thread-safe. The connection must be pgjdbc's (or unwrap to it, as Hikari's does).
 */
public final class TokenRoutingCopyWriter {

    static final String STAGING_TABLE = "moescope_token_routing_staging";

    private static final String COLUMNS =
            "run_id, request_id, token_index, token_id, phase, routed_at, layers, expert_ids, weights, router_entropy";
    private static final int FIELDS = 10;

    // LIKE keeps the staging columns identical to token_routing's; no primary key, so repeats reach the INSERT,
    // which skips them. ON COMMIT DELETE ROWS: the table outlives the transaction (no catalog churn per batch)
    // but never its rows. toast_tuple_target: rows up to a page stay inline and uncompressed (top-8 rows of
    // 32 layers are ~2.5 kB); compressing incompressible floats only to decompress them a moment later is waste.
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING_TABLE
            + " (LIKE token_routing) WITH (toast_tuple_target = 8160) ON COMMIT DELETE ROWS";

    private static final String COPY = "COPY pg_temp." + STAGING_TABLE + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    // Parameters: the batch's own expert_load counts (BatchExpertLoad, five parallel arrays), then the batch size
    // twice. When every token was inserted, those counts are exactly the inserted rows' counts and the database
    // need not unnest anything; otherwise (a replay, a repeated key) it counts from the inserted rows. The two
    // branches are gated by a one-time filter, so only one of them runs.
    // k (experts per layer) is the same for all layers of a row: cardinality(expert_ids) / cardinality(layers).
    // The expert at 1-based position p belongs to layers[(p - 1) / k + 1].
    private static final String INSERT_AND_ROLL_UP = """
            WITH staged AS (
                DELETE FROM pg_temp.%1$s RETURNING %2$s
            ), inserted AS (
                INSERT INTO token_routing (%2$s)
                SELECT %2$s FROM staged
                ORDER BY run_id, request_id, token_index
                ON CONFLICT (run_id, request_id, token_index) DO NOTHING
                RETURNING run_id, phase, routed_at, layers, expert_ids
            ), inserted_count AS (
                SELECT count(*) AS n FROM inserted
            ), load AS (
                INSERT INTO expert_load (run_id, layer, expert, phase, tokens)
                SELECT run_id, layer, expert, phase, tokens FROM (
                    SELECT b.run_id, b.layer, b.expert, b.phase, b.tokens
                    FROM unnest(?::text[], ?::int[], ?::int[], ?::smallint[], ?::bigint[])
                         AS b(run_id, layer, expert, phase, tokens)
                    WHERE (SELECT n FROM inserted_count) = ?
                    UNION ALL
                    SELECT i.run_id,
                           i.layers[(e.position - 1) / (cardinality(i.expert_ids) / cardinality(i.layers)) + 1],
                           e.expert, i.phase, count(*)
                    FROM inserted i
                    CROSS JOIN LATERAL unnest(i.expert_ids) WITH ORDINALITY AS e(expert, position)
                    WHERE (SELECT n FROM inserted_count) <> ?
                    GROUP BY 1, 2, 3, 4
                ) AS counts
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
            SELECT n FROM inserted_count
            """.formatted(STAGING_TABLE, COLUMNS);

    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z), the origin of binary timestamps. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /**
     * Writes {@code tokens} in the caller's transaction; the caller commits or rolls back.
     *
     * @param connection a connection with auto-commit off
     * @throws IllegalArgumentException when a token cannot be stored (see {@link StorableTokens#check}); nothing is
     *                                  written then
     */
    public WriteResult write(Connection connection, List<TokenRouting> tokens) throws SQLException {
        if (tokens.isEmpty()) {
            return new WriteResult(0, 0);
        }
        if (connection.getAutoCommit()) {
            // The staging table empties at every commit: with auto-commit the COPY's rows would be gone before the
            // INSERT, and the batch would not be atomic either.
            throw new IllegalStateException("TokenRoutingCopyWriter needs a transaction: auto-commit is on");
        }
        tokens.forEach(StorableTokens::check);
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        copy(connection.unwrap(PGConnection.class), tokens);
        BatchExpertLoad load = BatchExpertLoad.of(tokens);
        try (PreparedStatement statement = connection.prepareStatement(INSERT_AND_ROLL_UP)) {
            statement.setArray(1, connection.createArrayOf("text", load.runIds()));
            statement.setArray(2, connection.createArrayOf("int4", load.layers()));
            statement.setArray(3, connection.createArrayOf("int4", load.experts()));
            statement.setArray(4, connection.createArrayOf("int2", load.phases()));
            statement.setArray(5, connection.createArrayOf("int8", load.tokens()));
            statement.setInt(6, tokens.size());
            statement.setInt(7, tokens.size());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new WriteResult(tokens.size(), rs.getInt(1));
            }
        }
    }

    private static void copy(PGConnection connection, List<TokenRouting> tokens) throws SQLException {
        CopyIn copyIn = connection.getCopyAPI().copyIn(COPY);
        try {
            var out = new PgBinaryCopyBuffer(copyIn::writeToCopy);
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
            copyIn.endCopy();
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy(); // an exception above: leave the connection usable for the rollback
            }
        }
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
        out.int2Field(BatchExpertLoad.phaseCode(token.phase()));
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
