package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request keys (V53's {@code integer} identity) outlast the end of their sequence (V54): past the last key a new
 * request gets the first key that no request holds, those that retention freed, and only a key space that requests
 * hold whole refuses a new one, by name.
 */
class RequestKeyWrapTest extends WrittenTablesTest {

    private static final int LAST_KEY = Integer.MAX_VALUE;

    RequestKeyWrapTest() {
        super("request_key_wrap");
    }

    @BeforeEach
    void wholeKeySpace() throws SQLException {
        execute("ALTER TABLE routing_request ALTER request_key SET MAXVALUE " + LAST_KEY);
    }

    @Test
    void pastTheLastKeyNewRequestsGetTheKeysThatRetentionFreedInOrder() throws SQLException {
        write(List.of(token("q1", 0), token("q2", 1), token("q3", 2)));
        forget("q1", "q3");
        setNextKey(LAST_KEY);

        write(List.of(token("q4", 3)));
        write(List.of(token("q5", 4), token("q6", 5), token("q7", 6)));

        // 2 is still q2's
        assertThat(rows("SELECT request_key || ' ' || request_id FROM routing_request ORDER BY request_key"))
                .isEqualTo("1 q5 | 2 q2 | 3 q6 | 4 q7 | " + LAST_KEY + " q4");
        assertThat(rows("SELECT request_key || ' ' || request_id || ':' || token_index FROM token_routing_named"
                + " ORDER BY request_key")).isEqualTo("1 q5:4 | 2 q2:1 | 3 q6:5 | 4 q7:6 | " + LAST_KEY + " q4:3");
    }

    @Test
    void aNewRequestPassesTheHeldKeysAfterTheLastGivenAndTheNextKeysFollowTheFreeOneItGot() throws SQLException {
        write(List.of(token("q1", 0), token("q2", 1), token("q3", 2), token("q4", 3), token("q5", 4)));
        forget("q1", "q5");
        setNextKey(2);

        write(List.of(token("q6", 5), token("q7", 6), token("q8", 7)));

        assertThat(rows("SELECT request_key || ' ' || request_id FROM routing_request ORDER BY request_key"))
                .isEqualTo("2 q2 | 3 q3 | 4 q4 | 5 q6 | 6 q7 | 7 q8");
    }

    @Test
    void whenRequestsHoldEveryKeyANewRequestIsRefusedNamingTheKeySpaceAndRetention() throws SQLException {
        execute("ALTER TABLE routing_request ALTER request_key SET MAXVALUE 3");
        write(List.of(token("q1", 0), token("q2", 1), token("q3", 2)));

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> writer.write(c, List.of(token("q3", 3), token("q4", 4))))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no free request key: requests that still have rows hold all 3 keys of"
                            + " routing_request.request_key (1 to 3); set or shorten moescope.storage.raw-retention,"
                            + " whose sweeps free the keys of requests whose rows they dropped")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53400"));
            c.rollback();
            // the draw's lock is the session's: held on, this connection, back in a pool, would stop every writer
            assertThat(rows(s, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND pid = pg_backend_pid()")).isEqualTo("0");
        }
        assertThat(rows("SELECT count(*) FROM token_routing")).isEqualTo("3");

        forget("q2");
        write(List.of(token("q4", 4)));
        assertThat(rows("SELECT request_key || ' ' || request_id FROM routing_request ORDER BY request_key"))
                .isEqualTo("1 q1 | 2 q4 | 3 q3");
    }

    @Test
    void concurrentWritersPastTheLastKeyShareNoKeyAndLeaveNoFreeKeyBehind() throws Exception {
        write(IntStream.range(0, 10).mapToObj(i -> token("h" + i, i)).toList());
        // keys 1 to 10: those of h0, h2, ... freed, 2, 4, ... held
        forget("h0", "h2", "h4", "h6", "h8");
        setNextKey(LAST_KEY - 6);
        int writers = 4;
        int batches = 5;
        var tasks = new ArrayList<Callable<WriteResult>>();
        for (int w = 0; w < writers; w++) {
            for (int b = 0; b < batches; b++) {
                String prefix = "w" + w + "b" + b + "r";
                tasks.add(() -> write(List.of(token(prefix + 0, 100), token(prefix + 1, 101))));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (Future<WriteResult> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(new WriteResult(2, 2, 2));
            }
        } finally {
            pool.shutdown();
        }

        // 40 new requests: the 7 keys up to the last, then 1, 3, 5, 7, 9 and 11 to 38
        String expected = IntStream.concat(IntStream.rangeClosed(1, 38), IntStream.rangeClosed(LAST_KEY - 6, LAST_KEY))
                .mapToObj(Integer::toString).collect(Collectors.joining(" | "));
        assertThat(rows("SELECT request_key FROM routing_request ORDER BY request_key")).isEqualTo(expected);
        assertThat(rows("SELECT count(*) FROM routing_request WHERE request_id LIKE 'h%'")).isEqualTo("5");
    }

    /** Drops the rows of the requests, as retention does, and lets retention forget their keys. */
    private void forget(String... requestIds) throws SQLException {
        String ids = "'" + String.join("', '", requestIds) + "'";
        execute("DELETE FROM token_routing t USING routing_request r"
                + " WHERE r.request_key = t.request_key AND r.request_id IN (" + ids + ")");
        execute("SELECT moescope_forget_requests('1 day')");
    }

    /** The key's sequence as if the keys before {@code key} had been given. */
    private void setNextKey(int key) throws SQLException {
        execute("SELECT setval(pg_get_serial_sequence('routing_request', 'request_key'), " + key + ", false)");
    }

    /** One decision of run-a's request, routed {@code offsetMicros} after T0 (a day that retention has passed). */
    private static TokenRouting token(String requestId, int offsetMicros) {
        return new TokenRouting("run-a", requestId, offsetMicros, 5, Phase.DECODE, T0_MICROS + offsetMicros,
                List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 0f)));
    }
}
