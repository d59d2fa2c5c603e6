package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The safe path (a batch with a key already stored or repeated) counts the tokens it inserted with the fast path's
 * {@link BatchRollups}: the same vectors, and of a redelivered batch exactly the new tokens. Counts worked out by
 * hand from the four tokens below.
 */
class SafePathRollupsTest extends WrittenTablesTest {

    SafePathRollupsTest() {
        super("safe_path_rollups");
    }

    private static final long MINUTE_MICROS = 60_000_000L;

    // Layers 1 and 4, top-2 of experts 0..3. t0, t1: prefill, minute 0; t2: decode, minute 0; t3: decode, minute 1.
    private static List<TokenRouting> tokens(String runId) {
        return List.of(
                token(runId, 0, Phase.PREFILL, 0, new int[] {0, 2}, new int[] {1, 2}),
                token(runId, 1, Phase.PREFILL, 0, new int[] {2, 3}, new int[] {0, 2}),
                token(runId, 2, Phase.DECODE, 0, new int[] {0, 3}, new int[] {3, 1}),
                token(runId, 3, Phase.DECODE, 1, new int[] {2, 0}, new int[] {2, 3}));
    }

    // layer_load per (layer, phase): L1 P0 = t0 + t1 = {0,2} + {2,3}; L1 P1 = t2 + t3 = {0,3} + {2,0};
    // L4 P0 = {1,2} + {0,2}; L4 P1 = {3,1} + {2,3}.
    private static final String LOAD = "1 P0 {1,0,2,1} | 1 P1 {2,0,1,1} | 4 P0 {1,1,2,0} | 4 P1 {0,1,1,2}";

    // the minute grids' cells (finished and current): minute 0 holds t0, t1 (prefill) and t2 (decode); minute 1 holds t3.
    private static final String MINUTES = "0 1 P0 {1,0,2,1} | 0 1 P1 {1,0,0,1} | 0 4 P0 {1,1,2,0}"
            + " | 0 4 P1 {0,1,0,1} | 1 1 P1 {1,0,1,0} | 1 4 P1 {0,0,1,1}";

    @Test
    void theSafePathsRollupsEqualTheFastPathsForTheSameTokens() throws SQLException {
        var repeated = new ArrayList<>(tokens("safe"));
        repeated.add(repeated.get(0)); // a key repeated in the batch: the COPY fails, the safe path stores it

        WriteResult fast = write(tokens("fast"));
        WriteResult safe = write(repeated);

        assertThat(fast).isEqualTo(new WriteResult(4, 4, 8));
        assertThat(safe).isEqualTo(new WriteResult(5, 4, 8));
        for (String run : List.of("fast", "safe")) {
            assertThat(load(run)).as(run).isEqualTo(LOAD);
            assertThat(minutes(run)).as(run).isEqualTo(MINUTES);
            assertThat(rows("SELECT tokens || ' ' || decisions || ' '"
                    + " || extract(epoch FROM last_routed_at - first_routed_at) FROM run_volume"
                    + " WHERE run_id = '" + run + "'")).as(run).isEqualTo("4 8 60.003000");
        }
    }

    @Test
    void aRedeliveredBatchMixingStoredAndNewTokensAddsExactlyTheNewTokensCounts() throws SQLException {
        List<TokenRouting> all = tokens("run-1");
        write(all.subList(0, 2));
        assertThat(load("run-1")).isEqualTo("1 P0 {1,0,2,1} | 4 P0 {1,1,2,0}");

        WriteResult redelivered = write(List.of(all.get(2), all.get(0), all.get(3), all.get(1)));

        assertThat(redelivered).isEqualTo(new WriteResult(4, 2, 4));
        // The prefill rows are t0 + t1 still; the decode rows are t2 + t3 only.
        assertThat(load("run-1")).isEqualTo(LOAD);
        assertThat(minutes("run-1")).isEqualTo(MINUTES);
        assertThat(rows("SELECT tokens || ' ' || decisions FROM run_volume")).isEqualTo("4 8");
        assertThat(rows("SELECT count(*) FROM token_routing")).isEqualTo("4");
    }

    @Test
    void ofAKeyRepeatedWithOtherRoutingTheFirstTokenIsStoredAndOnlyItIsCounted() throws SQLException {
        TokenRouting first = token("run-1", 0, Phase.DECODE, 0, new int[] {0, 1}, new int[] {1, 0});
        TokenRouting second = token("run-1", 0, Phase.DECODE, 0, new int[] {2, 3}, new int[] {3, 2});

        assertThat(write(List.of(first, second))).isEqualTo(new WriteResult(2, 1, 2));

        assertThat(rows("SELECT moescope_routing_expert_ids(routing)::text FROM token_routing")).isEqualTo("{0,1,1,0}");
        assertThat(load("run-1")).isEqualTo("1 P1 {1,1} | 4 P1 {1,1}");
    }

    @Test
    void aRunWithFarApartLayerAndExpertIdsIsCountedInJavaToo() throws SQLException {
        // 30001 layers x 30001 experts x 2 phases as dense arrays would be 1.8 billion counts; only the two vectors
        // in use are allocated.
        var token = new TokenRouting("run-1", "req-1", 0, 5, Phase.PREFILL, T0_MICROS, List.of(
                new RouterDecision(0, new int[] {30_000, 7}, new float[] {0.5f, 0.5f}, 1f),
                new RouterDecision(30_000, new int[] {7, 30_000}, new float[] {0.5f, 0.5f}, 1f)));

        write(List.of(token));
        WriteResult again = write(List.of(token, token));

        assertThat(again).isEqualTo(new WriteResult(2, 0, 0));
        assertThat(rows("SELECT layer || ' E' || expert || ' ' || tokens FROM expert_load ORDER BY layer, expert"))
                .isEqualTo("0 E7 1 | 0 E30000 1 | 30000 E7 1 | 30000 E30000 1");
        assertThat(rows("SELECT DISTINCT cardinality(tokens) FROM layer_load")).isEqualTo("30001");
    }

    /** A token of request req-1 with layers 1 and 4, at {@code minute} minutes and {@code index} ms after T0. */
    private static TokenRouting token(String runId, int index, Phase phase, int minute, int[] layer1, int[] layer4) {
        return new TokenRouting(runId, "req-1", index, 100 + index, phase,
                T0_MICROS + minute * MINUTE_MICROS + index * 1000L, List.of(
                        new RouterDecision(1, layer1, new float[] {0.5f, 0.5f}, 1f),
                        new RouterDecision(4, layer4, new float[] {0.5f, 0.5f}, 1f)));
    }

    private String load(String runId) throws SQLException {
        return rows("SELECT layer || ' P' || phase || ' ' || tokens::text FROM layer_load WHERE run_id = '" + runId
                + "' ORDER BY layer, phase");
    }

    private String minutes(String runId) throws SQLException {
        return rows("SELECT extract(minute FROM bucket)::int || ' ' || g.layer || ' P' || phase || ' '"
                + " || array_agg(g.tokens ORDER BY g.expert)::text"
                + " FROM (SELECT run_id, bucket, phase, counts FROM load_grid_minute UNION ALL"
                + " SELECT run_id, bucket, phase, counts FROM load_grid_current) AS m, moescope_grid_cells(m.counts) AS g"
                + " WHERE run_id = '" + runId + "'"
                + " GROUP BY bucket, g.layer, phase ORDER BY bucket, g.layer, phase");
    }
}
