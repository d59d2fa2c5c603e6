package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.TokenView;
import io.moescope.ingest.copy.PreviousReleaseRows;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.copy.WriteResult;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.routing.RunTokenReader;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Databases migrated by an earlier release start on the current migrations. */
class MigrationUpgradeTest {

    /** The checksum Flyway recorded for V2 as released before it stopped reading shared_preload_libraries. */
    private static final int RELEASED_V2_CHECKSUM = -661741432;

    private static final long T0_MICROS = 1_704_067_200_000_000L;   // 2024-01-01T00:00:00Z
    private static final long DAY_MICROS = 86_400_000_000L;

    @Test
    void aDatabaseMigratedWithTheReleasedV2ValidatesAndRecordsTheCurrentChecksum() throws SQLException {
        DataSource db = TestPostgres.createMigratedDatabase("upgrade_v2");
        int current = v2Checksum(db);
        execute(db, "UPDATE flyway_schema_history SET checksum = " + RELEASED_V2_CHECKSUM + " WHERE version = '2'");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(v2Checksum(db)).isEqualTo(current).isNotEqualTo(RELEASED_V2_CHECKSUM);
    }

    @Test
    void aRunStoredBeforeV46HasSeparableRequestsAfterTheUpgrade() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_separable"));
        ReleasedMigrations.apply(db, "45");
        try (Connection c = db.getConnection()) {
            new RunLifecycleWriter().write(c, new RunLifecycle("run-1", "released run", RunStatus.STARTED, 0L,
                    "probe", new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400), 0));
        }

        Flyway.configure().dataSource(db).load().migrate();

        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, requests_not_separable FROM run")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("run-1");
            assertThat(rs.getString(2)).isNull();
        }
    }

    @Test
    void aRunStoredBeforeV46HasNoTapResponsesAfterTheUpgrade() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_tap_responses"));
        ReleasedMigrations.apply(db, "45");
        try (Connection c = db.getConnection()) {
            // as a tap before V46 stored its run: the end event without responses
            new RunLifecycleWriter().write(c, new RunLifecycle("tap-1", "released tap", RunStatus.FINISHED, 0L,
                    "tap:vllm", new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400),
                    0));
        }

        Flyway.configure().dataSource(db).load().migrate();

        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, responses FROM run_overview")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("tap-1");
            assertThat(rs.getString(2)).isNull();
        }
    }

    @Test
    void weightsAndEntropiesStoredBeforeV47ReadBackAsBinary16AfterTheUpgrade() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_half_float"));
        ReleasedMigrations.apply(db, "46");
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeAsV46(c, List.of(
                    new TokenRouting("run-1", "req-1", 0, 7, Phase.PREFILL, T0_MICROS, List.of(
                            new RouterDecision(0, new int[] {3, 1}, new float[] {0.6f, 0.4f}, 2.25f),
                            RouterDecision.withoutEntropy(1, new int[] {2, 0}, new float[] {0.875f, 0.125f}))),
                    // a trace of expert ids only (vLLM, SGLang): the weights are unknown
                    new TokenRouting("run-1", "req-1", 1, 8, Phase.DECODE, T0_MICROS + 1, List.of(
                            RouterDecision.withoutEntropy(0, new int[] {1, 2}, new float[] {Float.NaN, Float.NaN}),
                            RouterDecision.withoutEntropy(1, new int[] {0, 3}, new float[] {Float.NaN, Float.NaN})))));
        }

        ReleasedMigrations.apply(db, "47");

        // the bits: 0.6f -> 0x38CD, 0.4f -> 0x3666 (rounded to nearest), 0.875, 0.125 and 2.25 exactly, NaN -> 0x7E00
        assertThat(rows(db, "SELECT weights::text, router_entropy::text FROM token_routing ORDER BY token_index"))
                .containsExactly("{14541,13926,15104,12288} {16512,NULL}", "{32256,32256,32256,32256} {NULL,NULL}");
        Flyway.configure().dataSource(db).load().migrate();
        // and what the API hands out: the values those bits stand for
        List<TokenRouting> read = tokens(db, "run-1");
        assertThat(read).hasSize(2);
        assertThat(read.get(0).decisions()).containsExactly(
                new RouterDecision(0, new int[] {3, 1}, new float[] {0.60009765625f, 0.39990234375f}, 2.25f),
                RouterDecision.withoutEntropy(1, new int[] {2, 0}, new float[] {0.875f, 0.125f}));
        assertThat(read.get(1).decisions()).containsExactly(
                RouterDecision.withoutEntropy(0, new int[] {1, 2}, new float[] {Float.NaN, Float.NaN}),
                RouterDecision.withoutEntropy(1, new int[] {0, 3}, new float[] {Float.NaN, Float.NaN}));
    }

    @Test
    void tokensStoredAsFourArraysBeforeV51ReadBackIdenticalFromThePackedColumn() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_packed_routing"));
        ReleasedMigrations.apply(db, "50");
        // consecutive layers; listed layers with an expert id above 255; unknown weights and entropies; top-1 and top-8
        List<TokenRouting> stored = List.of(
                new TokenRouting("run-1", "req-1", 0, 7, Phase.PREFILL, T0_MICROS, List.of(
                        new RouterDecision(3, new int[] {3, 1}, new float[] {0.5f, 0.25f}, 2.25f),
                        new RouterDecision(4, new int[] {2, 0}, new float[] {0.875f, 0.125f}, 1.5f))),
                new TokenRouting("run-1", "req-1", 1, 8, Phase.DECODE, T0_MICROS + 1, List.of(
                        RouterDecision.withoutEntropy(0, new int[] {300, 2}, new float[] {Float.NaN, Float.NaN}),
                        new RouterDecision(5, new int[] {0, 32767}, new float[] {0.75f, 0.25f}, 0.5f))),
                new TokenRouting("run-1", "req-2", 0, 9, Phase.DECODE, T0_MICROS + 2, List.of(
                        new RouterDecision(1, new int[] {6}, new float[] {1f}, 0f))),
                new TokenRouting("run-1", "req-2", 1, 10, Phase.DECODE, T0_MICROS + 3, List.of(
                        new RouterDecision(1, new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                                new float[] {0.5f, 0.125f, 0.125f, 0.0625f, 0.0625f, 0.0625f, 0.03125f, 0.03125f},
                                3f))));
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeRoutingAsV50(c, stored);
        }

        Flyway.configure().dataSource(db).load().migrate();

        // every value above is a binary16 value, so the upgrade gives back exactly what was stored
        assertThat(tokens(db, "run-1")).containsExactlyElementsOf(stored);
        // and SQL packed them byte for byte as the Java codec packs them
        assertThat(rows(db, "SELECT encode(routing, 'hex'), token_id FROM token_routing_named"
                + " ORDER BY request_id, token_index")).containsExactlyElementsOf(stored.stream()
                .map(t -> HexFormat.of().formatHex(PackedRouting.encode(TokenView.of(t))) + " " + t.tokenId())
                .toList());
    }

    @Test
    void tokensStoredWithTheirRequestIdsBeforeV53ReadBackIdenticalThroughTheirRequestKeys() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_request_keys"));
        ReleasedMigrations.apply(db, "52");
        // two runs that share a request id; a request over two days; stored out of key order
        List<TokenRouting> run1 = List.of(
                token("run-1", "req-1", 0, T0_MICROS + 5), token("run-1", "req-1", 1, T0_MICROS + DAY_MICROS),
                token("run-1", "req-2", 0, T0_MICROS + 1));
        List<TokenRouting> run2 = List.of(token("run-2", "req-1", 0, T0_MICROS + 3));
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeRoutingAsV52(c, List.of(run2.get(0), run1.get(2), run1.get(1), run1.get(0)));
        }

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(tokens(db, "run-1")).containsExactlyElementsOf(run1);
        assertThat(tokens(db, "run-2")).containsExactlyElementsOf(run2);
        var req2 = new ArrayList<TokenRouting>();
        new RoutingReader(db).forEach("run-1", Optional.of("req-2"), Optional.empty(), Optional.empty(),
                Optional.empty(), req2::add);
        assertThat(req2).containsExactly(run1.get(2));
        // keys in (run, request) order, each request's first time its earliest row's
        assertThat(rows(db, "SELECT request_key || ' ' || run_id || '/' || request_id, first_routed_at AT TIME ZONE"
                + " 'UTC' FROM routing_request ORDER BY request_key")).containsExactly(
                "1 run-1/req-1 2024-01-01 00:00:00.000005", "2 run-1/req-2 2024-01-01 00:00:00.000001",
                "3 run-2/req-1 2024-01-01 00:00:00.000003");
    }

    @Test
    void aTokenStoredBeforeV53AndRedeliveredAfterItIsStoredOnce() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_request_keys_redelivery"));
        ReleasedMigrations.apply(db, "52");
        TokenRouting stored = token("run-1", "req-1", 0, T0_MICROS);
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeRoutingAsV52(c, List.of(stored));
        }
        Flyway.configure().dataSource(db).load().migrate();

        WriteResult result;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            result = new TokenRoutingCopyWriter().write(c, List.of(stored, token("run-1", "req-1", 1, T0_MICROS)));
            c.commit();
        }

        assertThat(result).isEqualTo(new WriteResult(2, 1, 2));
        assertThat(tokens(db, "run-1")).containsExactly(stored, token("run-1", "req-1", 1, T0_MICROS));
    }

    @Test
    void requestKeysGivenBeforeV54StayAndNewRequestsGoOnPastTheSequencesLastValue() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_request_key_wrap"));
        ReleasedMigrations.apply(db, "53");
        // a database whose key sequence is about to reach its end, as a tap's reaches it after 25 days
        List<TokenRouting> stored = List.of(token("run-1", "req-1", 0, T0_MICROS),
                token("run-1", "req-2", 0, T0_MICROS), token("run-1", "req-3", 0, T0_MICROS));
        write(db, stored.subList(0, 2));
        execute(db, "SELECT setval(pg_get_serial_sequence('routing_request', 'request_key'), 2147483646)");
        write(db, stored.subList(2, 3));

        Flyway.configure().dataSource(db).load().migrate();
        write(db, List.of(token("run-1", "req-4", 0, T0_MICROS)));

        // req-4: the first key after the last that no request holds
        assertThat(rows(db, "SELECT request_key, run_id || '/' || request_id FROM routing_request"
                + " ORDER BY request_key")).containsExactly("1 run-1/req-1", "2 run-1/req-2", "3 run-1/req-4",
                "2147483647 run-1/req-3");
        assertThat(tokens(db, "run-1")).containsExactlyElementsOf(List.of(stored.get(0), stored.get(1),
                stored.get(2), token("run-1", "req-4", 0, T0_MICROS)));
    }

    private static void write(DataSource db, List<TokenRouting> tokens) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            new TokenRoutingCopyWriter().write(c, tokens);
            c.commit();
        }
    }

    /** A token of two layers, top-2, whose weights and entropies are binary16 values (they read back exactly). */
    private static TokenRouting token(String runId, String requestId, int index, long micros) {
        return new TokenRouting(runId, requestId, index, 100 + index, Phase.DECODE, micros, List.of(
                new RouterDecision(0, new int[] {index, 7}, new float[] {0.75f, 0.25f}, 1.5f),
                RouterDecision.withoutEntropy(1, new int[] {3, 2}, new float[] {0.5f, 0.5f})));
    }

    private static List<TokenRouting> tokens(DataSource db, String runId) {
        return new RunTokenReader(db, new DataSourceTransactionManager(db)).withTokens(runId, RunTokenReader.Order.REQUEST_ID, tokens -> {
            var all = new ArrayList<TokenRouting>();
            tokens.forEachRemaining(all::add);
            return all;
        });
    }

    private static List<String> rows(DataSource db, String sql) throws SQLException {
        var rows = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void alertHistoryStoredBeforeV50KeepsItsStepsWithoutEvidence() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_alert_evidence"));
        ReleasedMigrations.apply(db, "49");
        execute(db, "INSERT INTO alert_event (rule_id, rule_name, subject, from_state, to_state, value, at, reason)"
                + " VALUES (2, 'hot expert', 'run-1/layer 0', 'PENDING', 'FIRING', 1.5, now(),"
                + " 'max_vio above 1.0 for 120 s')");

        Flyway.configure().dataSource(db).load().migrate();

        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reason, decisions, chance_bound FROM alert_event")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("max_vio above 1.0 for 120 s");
            assertThat(rs.getObject(2)).isNull();
            assertThat(rs.getObject(3)).isNull();
        }
    }

    private static int v2Checksum(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT checksum FROM flyway_schema_history WHERE version = '2'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
