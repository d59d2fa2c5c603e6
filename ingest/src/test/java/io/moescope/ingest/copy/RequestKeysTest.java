package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer names each row's request by its key in {@code routing_request} (V53): one key per (run, request), made
 * by the first batch that has the request and found by every later one, redelivered or not.
 */
class RequestKeysTest extends WrittenTablesTest {

    RequestKeysTest() {
        super("request_keys");
    }

    @Test
    void aBatchsNewRequestsGetKeysInRunAndRequestOrderEachFirstTimeItsEarliestToken() throws SQLException {
        // interleaved as concurrent requests arrive; run-b/q1 shares its request id with run-a/q1
        write(List.of(token("run-b", "q1", 0, 40), token("run-a", "q2", 0, 30), token("run-a", "q1", 1, 20),
                token("run-a", "q1", 0, 10)));

        assertThat(rows("SELECT request_key || ' ' || run_id || '/' || request_id || ' +'"
                + " || ((extract(epoch FROM first_routed_at - TIMESTAMPTZ 'epoch') * 1000000)::bigint - " + T0_MICROS
                + ") FROM routing_request ORDER BY request_key"))
                .isEqualTo("1 run-a/q1 +10 | 2 run-a/q2 +30 | 3 run-b/q1 +40");
        assertThat(rows("SELECT request_key || ':' || token_index FROM token_routing"
                + " ORDER BY request_key, token_index")).isEqualTo("1:0 | 1:1 | 2:0 | 3:0");
    }

    @Test
    void aRowNamesItsRunOnlyThroughItsRequestKey() throws SQLException {
        write(List.of(token("run-a", "q1", 0, 0), token("run-b", "q1", 0, 1)));

        assertThat(rows("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = 'token_routing'::regclass AND attnum > 0 AND NOT attisdropped"))
                .isEqualTo("routed_at,token_index,token_id,request_key,phase,routing");
        assertThat(rows("SELECT run_id || '/' || request_id || ':' || token_index FROM token_routing_named"
                + " WHERE run_id = 'run-b'")).isEqualTo("run-b/q1:0");
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
                .isEqualTo("1 q1 | 2 q2");
        assertThat(rows("SELECT request_id || ':' || token_index FROM token_routing_named"
                + " ORDER BY request_id, token_index")).isEqualTo("q1:0 | q1:1 | q1:2 | q1:3 | q2:0");
    }

    @Test
    void aRedeliveredBatchStoresAndCountsNothingAgain() throws SQLException {
        List<TokenRouting> batch = List.of(token("run-a", "q1", 0, 0), token("run-a", "q2", 0, 1));
        assertThat(write(batch)).isEqualTo(new WriteResult(2, 2, 2));

        assertThat(write(batch)).isEqualTo(new WriteResult(2, 0, 0));

        assertThat(rows("SELECT count(*) FROM token_routing")).isEqualTo("2");
        assertThat(rows("SELECT count(*) FROM routing_request")).isEqualTo("2");
        assertThat(rows("SELECT decisions FROM run_volume")).isEqualTo("2");
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
                + " ORDER BY request_key, token_index")).isEqualTo("1 q1:0 | 1 q1:1 | 2 q9:0");
    }

    /** One decision (layer 0, top-1), routed {@code offsetMicros} after T0. */
    private static TokenRouting token(String runId, String requestId, int index, long offsetMicros) {
        return new TokenRouting(runId, requestId, index, 5, Phase.DECODE, T0_MICROS + offsetMicros,
                List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 0f)));
    }
}
