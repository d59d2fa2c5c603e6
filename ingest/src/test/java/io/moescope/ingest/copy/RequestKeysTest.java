package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.support.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The writer names each row's request by its key in {@code routing_request} (V53): one key per (run, request), made
 * by the first batch that has the request and found by every later one, redelivered or not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestKeysTest {

    private DataSource db;

    private final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();

    /** Where this class's database lives; the TimescaleDB subclass gives the server's. */
    protected Databases databases() {
        return Databases.EMBEDDED_POSTGRES;
    }

    @BeforeAll
    void migrate() {
        db = databases().migrated("request_keys");
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE token_routing, routing_request, layer_load, load_grid_minute, load_grid_current,"
                    + " run_volume RESTART IDENTITY");
        }
    }

    @Test
    void aBatchsNewRequestsGetKeysInRunAndRequestOrderEachFirstTimeItsEarliestToken() throws SQLException {
        // interleaved as concurrent requests arrive; run-b/q1 shares its request id with run-a/q1
        write(List.of(token("run-b", "q1", 0, 40), token("run-a", "q2", 0, 30), token("run-a", "q1", 1, 20),
                token("run-a", "q1", 0, 10)));

        assertThat(rows("SELECT request_key || ' ' || run_id || '/' || request_id || ' +'"
                + " || ((extract(epoch FROM first_routed_at - TIMESTAMPTZ 'epoch') * 1000000)::bigint - " + T0_MICROS
                + ") FROM routing_request ORDER BY request_key"))
                .containsExactly("1 run-a/q1 +10", "2 run-a/q2 +30", "3 run-b/q1 +40");
        assertThat(rows("SELECT request_key || ':' || token_index FROM token_routing"
                + " ORDER BY request_key, token_index")).containsExactly("1:0", "1:1", "2:0", "3:0");
    }

    @Test
    void aRowNamesItsRunOnlyThroughItsRequestKey() throws SQLException {
        write(List.of(token("run-a", "q1", 0, 0), token("run-b", "q1", 0, 1)));

        assertThat(rows("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = 'token_routing'::regclass AND attnum > 0 AND NOT attisdropped"))
                .containsExactly("routed_at,token_index,token_id,request_key,phase,routing");
        assertThat(rows("SELECT run_id || '/' || request_id || ':' || token_index FROM token_routing_named"
                + " WHERE run_id = 'run-b'")).containsExactly("run-b/q1:0");
    }

    @Test
    void laterBatchesOfARequestFindItsKeyAndDrawNoNewOne() throws SQLException {
        write(List.of(token("run-a", "q1", 0, 0)));
        write(List.of(token("run-a", "q1", 1, 1), token("run-a", "q1", 2, 2)));
        // a redelivery with a new token: the safe path
        write(List.of(token("run-a", "q1", 2, 2), token("run-a", "q1", 3, 3)));
        write(List.of(token("run-a", "q2", 0, 4)));

        // keys 1 and 2: the batches of q1 drew no value of the key's sequence
        assertThat(rows("SELECT request_key || ' ' || request_id FROM routing_request ORDER BY request_key"))
                .containsExactly("1 q1", "2 q2");
        assertThat(rows("SELECT request_id || ':' || token_index FROM token_routing_named"
                + " ORDER BY request_id, token_index")).containsExactly("q1:0", "q1:1", "q1:2", "q1:3", "q2:0");
    }

    @Test
    void aRedeliveredBatchStoresAndCountsNothingAgain() throws SQLException {
        List<TokenRouting> batch = List.of(token("run-a", "q1", 0, 0), token("run-a", "q2", 0, 1));
        assertThat(write(batch)).isEqualTo(new WriteResult(2, 2, 2));

        assertThat(write(batch)).isEqualTo(new WriteResult(2, 0, 0));

        assertThat(rows("SELECT count(*) FROM token_routing")).containsExactly("2");
        assertThat(rows("SELECT count(*) FROM routing_request")).containsExactly("2");
        assertThat(rows("SELECT decisions FROM run_volume")).containsExactly("2");
    }

    @Test
    void aRowInsertedThroughTheNamedViewGetsItsRequestsKey() throws SQLException {
        write(List.of(token("run-a", "q1", 0, 0)));

        execute("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at,"
                + " routing) SELECT run_id, request_id, token_index + 1, token_id, phase, routed_at, routing"
                + " FROM token_routing_named");
        execute("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at,"
                + " routing) SELECT run_id, 'q9', 0, token_id, phase, routed_at, routing FROM token_routing_named"
                + " WHERE token_index = 0");

        assertThat(rows("SELECT request_key || ' ' || request_id || ':' || token_index FROM token_routing_named"
                + " ORDER BY request_key, token_index")).containsExactly("1 q1:0", "1 q1:1", "2 q9:0");
    }

    private WriteResult write(List<TokenRouting> tokens) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            WriteResult result = writer.write(c, tokens);
            c.commit();
            return result;
        }
    }

    /** One decision (layer 0, top-1), routed {@code offsetMicros} after T0. */
    private static TokenRouting token(String runId, String requestId, int index, long offsetMicros) {
        return new TokenRouting(runId, requestId, index, 5, Phase.DECODE, T0_MICROS + offsetMicros,
                List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 0f)));
    }

    private List<String> rows(String sql) throws SQLException {
        var rows = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
