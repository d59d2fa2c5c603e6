package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventCodec;
import io.moescope.events.HalfFloat;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingReader;
import io.moescope.ingest.support.Tokens;
import io.moescope.storage.routing.RoutingReader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenRoutingCopyWriterTest extends WrittenTablesTest {

    TokenRoutingCopyWriterTest() {
        super("copy_writer");
    }

    @Test
    void storesOneRowPerTokenWithItsDecisionsPackedAndNaNForUnknownEntropy() throws SQLException {
        var token = new TokenRouting("run-1", "req-1", 4, 31337, Phase.DECODE, T0_MICROS + 123_456L, List.of(
                new RouterDecision(1, new int[] {7, 2}, new float[] {0.6f, 0.4f}, 2.25f),
                RouterDecision.withoutEntropy(3, new int[] {0, 5}, new float[] {0.875f, 0.125f})));

        WriteResult result = write(List.of(token));

        assertThat(result).isEqualTo(new WriteResult(1, 1, 2));
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, request_id, token_index, token_id, phase, routed_at,"
                     + " routing FROM token_routing_named")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("run-1");
            assertThat(rs.getString(2)).isEqualTo("req-1");
            assertThat(rs.getInt(3)).isEqualTo(4);
            assertThat(rs.getInt(4)).isEqualTo(31337);
            assertThat(rs.getShort(5)).isEqualTo((short) 1);
            assertThat(rs.getObject(6, OffsetDateTime.class))
                    .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC));
            // PackedRouting: flags 02 (layers listed, 1-byte ids), 2 layers, top-2, layers 1 and 3, ids 7 2 0 5,
            // weights as binary16 bits: 0.6f -> 0x38CD (0.60009765625), 0.4f -> 0x3666 (0.39990234375), 0.875 and
            // 0.125 exactly; entropies 2.25 = 0x4080 and unknown = NaN 0x7E00
            assertThat(HexFormat.of().formatHex(rs.getBytes(7))).isEqualTo("02" + "0002" + "0002" + "0001" + "0003"
                    + "07020005" + "38cd" + "3666" + "3b00" + "3000" + "4080" + "7e00");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aTokenOfIdsOnlyAsTheTapSendsItIsStoredAsItsIdsAndReadBackAsItWasSent() throws SQLException {
        TokenRouting token = idsOnlyOfDeepSeekV3sShape();
        var codec = new EventCodec();
        var batch = new TokenBatch(1);
        new TokenRoutingReader(codec).readInto(codec.encode(token), batch);

        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            assertThat(writer.write(c, batch)).isEqualTo(new WriteResult(1, 1, 58));
            c.commit();
        }

        // flags 0c, 58 layers, top-8, first layer 3, then the 464 ids (the first: 3, 17): no NaN weights (928 B)
        // or entropies (116 B)
        assertThat(rows("SELECT length(routing) || ' ' || encode(substr(routing, 1, 9), 'hex') FROM token_routing"))
                .isEqualTo("471 0c003a000800030311");
        assertThat(readBack("run-tap")).containsExactly(token);
        assertThat(rows("SELECT cardinality(moescope_routing_weights(routing)) || ' '"
                + " || (SELECT count(*) FROM unnest(moescope_routing_weights(routing)) w WHERE w = 'NaN')"
                + " || ' ' || (SELECT count(*) FROM unnest(moescope_routing_entropies(routing)) h WHERE h = 'NaN')"
                + " FROM token_routing")).isEqualTo("464 464 58");
        assertThat(count("SELECT sum(tokens) FROM expert_load")).isEqualTo(58 * 8);
    }

    @Test
    void aTokenOfIdsOnlyStoredBeforeTheFlagsWithNaNWeightsAndEntropiesReadsBackTheSame() throws SQLException {
        TokenRouting token = idsOnlyOfDeepSeekV3sShape();
        write(List.of(token));
        String nans = "7e00".repeat(58 * 8 + 58);
        execute("UPDATE token_routing SET routing = set_byte(substr(routing, 1, 471), 0, 0) || '\\x" + nans
                + "'::bytea");

        assertThat(rows("SELECT length(routing) || ' ' || get_byte(routing, 0) FROM token_routing"))
                .isEqualTo("1515 0");
        assertThat(readBack("run-tap")).containsExactly(token);
    }

    /** 58 MoE layers (3 to 60), top-8 of 256, weights and entropies unknown: what the tap captures from vLLM. */
    private static TokenRouting idsOnlyOfDeepSeekV3sShape() {
        var decisions = new ArrayList<RouterDecision>();
        float[] unknown = new float[8];
        Arrays.fill(unknown, Float.NaN);
        for (int layer = 3; layer <= 60; layer++) {
            decisions.add(RouterDecision.withoutEntropy(layer, new int[] {layer, 17, 64, 100, 128, 200, 254, 255},
                    unknown));
        }
        return new TokenRouting("run-tap", "tap-1", 0, -1, Phase.DECODE, T0_MICROS, decisions);
    }

    private List<TokenRouting> readBack(String runId) {
        var tokens = new ArrayList<TokenRouting>();
        new RoutingReader(db).forEach(runId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                tokens::add);
        return tokens;
    }

    @Test
    void storesThirtyTwoLayersOfTopEightExactly() throws SQLException {
        var decisions = new ArrayList<RouterDecision>();
        var expectedExperts = new ArrayList<Object>();
        for (int layer = 0; layer < 32; layer++) {
            int[] experts = new int[8];
            float[] weights = new float[8];
            for (int j = 0; j < 8; j++) {
                experts[j] = (layer * 8 + j) % 128;
                weights[j] = 1f / (j + 2);
                expectedExperts.add(experts[j]);
            }
            decisions.add(new RouterDecision(layer, experts, weights, layer % 2 == 0 ? Float.NaN : layer / 10f));
        }
        var token = new TokenRouting("run-1", "req-1", 0, 9, Phase.PREFILL, T0_MICROS, decisions);

        write(List.of(token));

        List<Object> row = queryRow("SELECT moescope_routing_expert_ids(routing)::int[],"
                + " moescope_routing_weights(routing), moescope_routing_entropies(routing) FROM token_routing");
        assertThat(array((Array) row.get(0))).containsExactlyElementsOf(expectedExperts);
        // as stored: rounded to binary16 (1/2 and 1/4 exactly)
        assertThat(array((Array) row.get(1))).hasSize(256)
                .startsWith(0.5f, HalfFloat.round(1f / 3), 0.25f).endsWith(HalfFloat.round(1f / 9));
        assertThat(array((Array) row.get(2))).hasSize(32)
                .startsWith(Float.NaN, HalfFloat.round(0.1f), Float.NaN, HalfFloat.round(0.3f))
                .endsWith(HalfFloat.round(3.1f));
    }

    @Test
    void writingTheSameBatchTwiceStoresEachTokenOnceAndCountsItOnce() throws SQLException {
        List<TokenRouting> batch = Tokens.request("run-1", "req-1", 50, 4, 8);

        WriteResult first = write(batch);
        Map<String, Long> loadAfterFirst = expertLoad();
        WriteResult second = write(batch);

        assertThat(first).isEqualTo(new WriteResult(50, 50, 200));
        assertThat(second).isEqualTo(new WriteResult(50, 0, 0));
        assertThat(count("SELECT count(*) FROM token_routing")).isEqualTo(50);
        assertThat(expertLoad()).isEqualTo(loadAfterFirst);
        assertThat(count("SELECT sum(tokens) FROM expert_load")).isEqualTo(50 * 4 * 2);
        assertThat(queryRow("SELECT tokens, decisions FROM run_volume WHERE run_id = 'run-1'"))
                .containsExactly(50L, 200L);
    }

    @Test
    void aBatchOverlappingAStoredOneCountsOnlyTheNewTokens() throws SQLException {
        List<TokenRouting> tokens = Tokens.request("run-1", "req-1", 30, 2, 4);

        write(tokens.subList(0, 20));
        WriteResult overlapping = write(tokens.subList(10, 30));

        assertThat(overlapping).isEqualTo(new WriteResult(20, 10, 20));
        assertThat(queryRow("SELECT tokens, decisions FROM run_volume")).containsExactly(30L, 60L);
        assertThat(count("SELECT sum(tokens) FROM expert_load")).isEqualTo(30 * 2 * 2);
    }

    @Test
    void aKeyRepeatedInsideOneBatchIsStoredAndCountedOnce() throws SQLException {
        TokenRouting token = Tokens.token("run-1", "req-1", 0, Phase.PREFILL, 2, 4);

        WriteResult result = write(List.of(token, token, token));

        assertThat(result).isEqualTo(new WriteResult(3, 1, 2));
        assertThat(count("SELECT count(*) FROM token_routing")).isEqualTo(1);
        assertThat(queryRow("SELECT tokens, decisions FROM run_volume")).containsExactly(1L, 2L);
        assertThat(count("SELECT sum(tokens) FROM expert_load")).isEqualTo(4);
    }

    @Test
    void expertLoadCountsTokensPerRunLayerExpertAndPhase() throws SQLException {
        // Layers 3 and 7 (not 0..n-1) so that a wrong layer lookup shows.
        List<TokenRouting> batch = List.of(
                twoLayerToken(0, Phase.PREFILL, new int[] {5, 1}, new int[] {1, 2}),
                twoLayerToken(1, Phase.PREFILL, new int[] {5, 2}, new int[] {0, 1}),
                twoLayerToken(2, Phase.DECODE, new int[] {5, 1}, new int[] {1, 2}));

        write(batch);

        var expected = new LinkedHashMap<String, Long>();
        expected.put("run-1 L3 E1 P0", 1L);
        expected.put("run-1 L3 E1 P1", 1L);
        expected.put("run-1 L3 E2 P0", 1L);
        expected.put("run-1 L3 E5 P0", 2L);
        expected.put("run-1 L3 E5 P1", 1L);
        expected.put("run-1 L7 E0 P0", 1L);
        expected.put("run-1 L7 E1 P0", 2L);
        expected.put("run-1 L7 E1 P1", 1L);
        expected.put("run-1 L7 E2 P0", 1L);
        expected.put("run-1 L7 E2 P1", 1L);
        assertThat(expertLoad()).containsExactlyEntriesOf(expected);
    }

    @Test
    void expertLoadCountedFromInsertedRowsEqualsTheBatchsOwnCounts() throws SQLException {
        // run-1's batch is all new (the writer's own counts are used); run-2's repeats a token, so the database
        // counts from the rows it inserted. Both must give the same counts.
        List<TokenRouting> tokens = Tokens.request("run-1", "req-1", 12, 3, 5);
        var repeated = new ArrayList<TokenRouting>();
        for (TokenRouting t : tokens) {
            repeated.add(new TokenRouting("run-2", t.requestId(), t.tokenIndex(), t.tokenId(), t.phase(),
                    t.timestampMicros(), t.decisions()));
        }
        repeated.add(repeated.get(0));

        assertThat(write(tokens)).isEqualTo(new WriteResult(12, 12, 36));
        assertThat(write(repeated)).isEqualTo(new WriteResult(13, 12, 36));

        var run1 = new LinkedHashMap<String, Long>();
        var run2 = new LinkedHashMap<String, Long>();
        expertLoad().forEach((key, tokenCount) ->
                (key.startsWith("run-1 ") ? run1 : run2).put(key.substring(6), tokenCount));
        assertThat(run1).hasSize(3 * 5).containsExactlyEntriesOf(run2);
    }

    @Test
    void runVolumeHasTokensDecisionsAndFirstAndLastRoutedTimePerRun() throws SQLException {
        var batch = new ArrayList<TokenRouting>();
        batch.addAll(Tokens.request("run-1", "req-1", 5, 3, 8));  // routed at T0 + 0..4 ms
        batch.addAll(Tokens.request("run-1", "req-2", 2, 3, 8));  // T0 + 0..1 ms
        batch.addAll(Tokens.request("run-2", "req-1", 4, 6, 8));  // T0 + 0..3 ms
        Collections.reverse(batch);

        write(batch);
        write(List.of(Tokens.token("run-2", "req-9", 9, Phase.DECODE, 6, 8))); // T0 + 9 ms

        OffsetDateTime t0 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        assertThat(queryRow("SELECT tokens, decisions, first_routed_at, last_routed_at FROM run_volume"
                + " WHERE run_id = 'run-1'")).containsExactly(7L, 21L, t0, t0.plusNanos(4_000_000));
        assertThat(queryRow("SELECT tokens, decisions, first_routed_at, last_routed_at FROM run_volume"
                + " WHERE run_id = 'run-2'")).containsExactly(5L, 30L, t0, t0.plusNanos(9_000_000));
    }

    @Test
    void aRolledBackWriteLeavesNoRowsAndNoCounts() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            writer.write(c, Tokens.request("run-1", "req-1", 10, 2, 4));
            c.rollback();
        }

        assertThat(count("SELECT (SELECT count(*) FROM token_routing) + (SELECT count(*) FROM expert_load)"
                + " + (SELECT count(*) FROM run_volume)")).isZero();
    }

    @Test
    void twoWritesInOneTransactionStoreBothBatchesOnce() throws SQLException {
        List<TokenRouting> tokens = Tokens.request("run-1", "req-1", 20, 2, 4);
        WriteResult first;
        WriteResult second;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            first = writer.write(c, tokens.subList(0, 10));
            second = writer.write(c, tokens.subList(10, 20));
            c.commit();
        }

        assertThat(List.of(first, second)).containsExactly(new WriteResult(10, 10, 20), new WriteResult(10, 10, 20));
        assertThat(queryRow("SELECT tokens, decisions FROM run_volume")).containsExactly(20L, 40L);
    }

    @Test
    void refusesAConnectionInAutoCommitMode() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> writer.write(c, Tokens.request("run-1", "req-1", 1, 1, 4)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit");
        }
    }

    @Test
    void anEmptyBatchWritesNothing() throws SQLException {
        assertThat(write(List.of())).isEqualTo(new WriteResult(0, 0, 0));
        assertThat(count("SELECT count(*) FROM run_volume")).isZero();
    }

    @Test
    void concurrentWritersOfTheSameTokensInOppositeOrdersNeitherDeadlockNorDoubleCount() throws Exception {
        // Without the ORDER BY in the writer's INSERTs this deadlocks within a few rounds on a 2-core machine.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                List<TokenRouting> tokens = new ArrayList<>();
                for (int r = 0; r < 40; r++) {
                    tokens.addAll(Tokens.request("run-" + round, "req-" + r, 50, 4, 8));
                }
                List<TokenRouting> reversed = new ArrayList<>(tokens);
                Collections.reverse(reversed);
                var barrier = new CyclicBarrier(2);
                Future<WriteResult> a = pool.submit(() -> writeCommittedAfter(barrier, tokens));
                Future<WriteResult> b = pool.submit(() -> writeCommittedAfter(barrier, reversed));

                assertThat(a.get().inserted() + b.get().inserted()).isEqualTo(2000);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(queryRow("SELECT sum(tokens), sum(decisions) FROM run_volume"))
                .containsExactly(BigDecimal.valueOf(5 * 2000), BigDecimal.valueOf(5 * 2000 * 4));
        assertThat(count("SELECT sum(tokens) FROM expert_load")).isEqualTo(5 * 2000 * 4 * 2);
    }

    private static TokenRouting twoLayerToken(int index, Phase phase, int[] layer3, int[] layer7) {
        return new TokenRouting("run-1", "req-1", index, index, phase, T0_MICROS, List.of(
                new RouterDecision(3, layer3, new float[] {0.5f, 0.5f}, 1f),
                new RouterDecision(7, layer7, new float[] {0.5f, 0.5f}, 1f)));
    }

    private WriteResult writeCommittedAfter(CyclicBarrier barrier, List<TokenRouting> tokens) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            barrier.await();
            WriteResult result = writer.write(c, tokens);
            c.commit();
            return result;
        }
    }

    /** "run Lx Ey Pz" -> tokens, in key order. */
    private Map<String, Long> expertLoad() throws SQLException {
        var load = new LinkedHashMap<String, Long>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, layer, expert, phase, tokens FROM expert_load"
                     + " ORDER BY run_id, layer, expert, phase")) {
            while (rs.next()) {
                load.put(rs.getString(1) + " L" + rs.getInt(2) + " E" + rs.getInt(3) + " P" + rs.getShort(4),
                        rs.getLong(5));
            }
        }
        return load;
    }

    private long count(String sql) throws SQLException {
        return ((Number) queryRow(sql).get(0)).longValue();
    }

    private List<Object> queryRow(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from " + sql).isTrue();
            var row = new ArrayList<Object>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object value = rs.getObject(i);
                if (value instanceof java.sql.Timestamp) {
                    value = rs.getObject(i, OffsetDateTime.class);
                }
                row.add(value);
            }
            return row;
        }
    }

    private static List<Object> array(Array array) throws SQLException {
        return Arrays.asList((Object[]) array.getArray());
    }
}
