package io.moescope.ingest.timescaledb;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.TokenView;
import io.moescope.ingest.copy.PreviousReleaseRows;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.copy.WriteResult;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.ingest.support.TimescaleDbServer;
import io.moescope.ingest.support.Tokens;
import io.moescope.storage.routing.RoutingReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage path of real deployments (docker-compose, TimescaleDB) against a real TimescaleDB server. Skipped,
 * with a message, when {@code MOESCOPE_TIMESCALEDB_URL} is not set; {@code .ci/run} starts the server and sets it.
 */
class TimescaleDbPathTest {

    private static final int LAYERS = 4;
    private static final int EXPERTS = 8;
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final long MINUTE_MICROS = 60_000_000L;

    private static TimescaleDbServer server;

    private final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();

    @BeforeAll
    static void server() {
        server = TimescaleDbServer.required();
    }

    /** docker-compose.yml ships this version (ComposeFileTest checks the image). */
    @Test
    void theServerRunsTheTimescaleDbVersionTheComposeFileShips() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_version", TimescaleDbServer.SUPERUSER);

        assertThat(strings(db, "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"))
                .containsExactly("2.28.3");
    }

    @Test
    void migratingAsTheSuperuserMakesRawRoutingAndTheMinuteRollupHypertables() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_super", TimescaleDbServer.SUPERUSER);

        assertThat(hypertables(db)).containsExactly("load_grid_minute", "token_routing");
    }

    @Test
    void migratingAsAnOwnerWhoIsNotASuperuserTakesTheTimescaleDbPathToo() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_owner", TimescaleDbServer.OWNER);

        assertThat(hypertables(db)).containsExactly("load_grid_minute", "token_routing");
    }

    @Test
    void bothHypertablesGetACompressionPolicy() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_policies", TimescaleDbServer.SUPERUSER);

        assertThat(strings(db, "SELECT hypertable_name FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_compression' ORDER BY hypertable_name"))
                .containsExactly("load_grid_minute", "token_routing");
    }

    /**
     * {@code moescope.storage.raw-retention} on this path: a retention policy on raw routing only, whose run drops
     * the chunks of older days and keeps every rollup (what dashboards read); none removes the policy.
     */
    @Test
    void theRetentionSettingIsAPolicyThatDropsOldRawRoutingAndKeepsTheRollups() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_retention", TimescaleDbServer.SUPERUSER);
        write(db, tokens(0, 10, 0)); // 2024-01-01, long before the 30 days kept

        execute(db, "SELECT moescope_apply_retention(INTERVAL '30 days')");
        assertThat(strings(db, "SELECT hypertable_name || ' ' || (config ->> 'drop_after')"
                + " FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"))
                .containsExactly("token_routing 30 days");
        long job = single(db, "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'");
        execute(db, "CALL run_job(" + job + ")");

        assertThat(single(db, "SELECT count(*) FROM token_routing")).isZero();
        assertThat(single(db, "SELECT sum(t) FROM layer_load, unnest(tokens) t")).isEqualTo(10L * LAYERS * 2);
        assertThat(single(db, "SELECT sum(tokens) FROM expert_load_minute")).isEqualTo(10L * LAYERS * 2);
        execute(db, "SELECT moescope_apply_retention(NULL)");
        assertThat(strings(db, "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"))
                .isEmpty();
    }

    /**
     * Ingest's redelivery path ({@code INSERT ... ON CONFLICT DO NOTHING}) into a compressed chunk: TimescaleDB before
     * 2.18.1 dropped every later new row of such a statement (upstream issue 7672), even rows for other chunks. The
     * new tokens also fall into a finished minute whose grid is in a compressed chunk (TimescaleDB cannot lock such
     * rows with {@code FOR UPDATE}).
     */
    @Test
    void aRedeliveredBatchMixingStoredAndNewTokensIntoACompressedChunkLosesNothing() throws SQLException {
        DataSource db = server.migratedDatabase("tsdb_redelivery", TimescaleDbServer.SUPERUSER);
        // The chunks of 2024 are past the compression policies' age: their job, run by TimescaleDB's scheduler,
        // would race this test's compress_chunk ("chunk is already compressed"). The test compresses them itself.
        execute(db, "SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_compression'");
        List<TokenRouting> stored = new ArrayList<>(tokens(0, 100, 0));
        stored.addAll(tokens(100, 120, 2 * MINUTE_MICROS)); // a later minute: minute 0 is finished
        write(db, stored);
        execute(db, "SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('token_routing') c");
        execute(db, "SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('load_grid_minute') c");
        assertThat(single(db, "SELECT count(*) FROM timescaledb_information.chunks"
                + " WHERE hypertable_name IN ('token_routing', 'load_grid_minute') AND is_compressed")).isEqualTo(2);

        var redelivered = new ArrayList<>(stored.subList(50, 100));
        redelivered.addAll(tokens(120, 200, 0));
        redelivered.addAll(tokens(200, 260, 3 * DAY_MICROS));
        WriteResult result = write(db, redelivered);

        assertThat(result).isEqualTo(new WriteResult(190, 140, 140L * LAYERS));
        assertThat(single(db, "SELECT count(*) FROM token_routing")).isEqualTo(260);
        assertThat(single(db, "SELECT count(DISTINCT token_index) FROM token_routing")).isEqualTo(260);
        assertThat(single(db, "SELECT sum(t) FROM layer_load, unnest(tokens) t")).isEqualTo(260L * LAYERS * 2);
        assertThat(single(db, "SELECT sum(tokens) FROM expert_load_minute")).isEqualTo(260L * LAYERS * 2);
        assertThat(single(db, "SELECT sum(tokens) FROM expert_load_minute WHERE bucket = '2024-01-01 00:00+00'"))
                .isEqualTo(180L * LAYERS * 2); // tokens 0-99 and 120-199
    }

    /**
     * V51 makes {@code token_routing} anew with the packed column: the V50 table's retention and compression policies
     * and its compressed chunks carry over, and every row with them.
     */
    @Test
    void upgradingToThePackedColumnKeepsThePoliciesTheCompressedChunksAndEveryRow() throws SQLException {
        DataSource db = server.databases(TimescaleDbServer.SUPERUSER).empty("tsdb_v51");
        ReleasedMigrations.apply(db, "50");
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeRoutingAsV50(c, tokens(0, 10, 0));
            PreviousReleaseRows.writeRoutingAsV50(c, tokens(10, 20, 3 * DAY_MICROS));
        }
        // the retention setting as that release applied it (this checkout's moescope_apply_retention needs V53's table)
        execute(db, "SELECT add_retention_policy('token_routing', drop_after => INTERVAL '3650 days')");
        // the compression policy may have compressed it already: its scheduler runs beside the test
        execute(db, "SELECT compress_chunk(c, if_not_compressed => true)"
                + " FROM show_chunks('token_routing', older_than => TIMESTAMPTZ '2024-01-02') c");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(strings(db, "SELECT proc_name || ' ' || coalesce(config ->> 'drop_after',"
                + " config ->> 'compress_after') FROM timescaledb_information.jobs"
                + " WHERE hypertable_name = 'token_routing' ORDER BY proc_name"))
                .containsExactly("policy_compression 2 days", "policy_retention 3650 days");
        assertThat(strings(db, "SELECT is_compressed::text FROM timescaledb_information.chunks"
                + " WHERE hypertable_name = 'token_routing' AND range_start = TIMESTAMPTZ '2024-01-01'"))
                .containsExactly("true");
        assertThat(single(db, "SELECT count(*) FROM token_routing")).isEqualTo(20);
        assertThat(single(db, "SELECT sum(cardinality(moescope_routing_expert_ids(routing))) FROM token_routing"))
                .isEqualTo(20L * LAYERS * 2);
    }

    /**
     * V53 makes {@code token_routing} anew with request keys and no run id: the policies and compressed chunks carry
     * over, the compression is segmented by the request key (the run's id, V52's segment-by, is gone), and every row
     * reads back as it was stored.
     */
    @Test
    void upgradingToRequestKeysKeepsThePoliciesTheCompressedChunksAndEveryRow() throws SQLException {
        DataSource db = server.databases(TimescaleDbServer.SUPERUSER).empty("tsdb_v53");
        ReleasedMigrations.apply(db, "52");
        List<TokenRouting> stored = new ArrayList<>(tokens(0, 10, 0));
        stored.addAll(tokens(10, 20, 3 * DAY_MICROS));
        try (Connection c = db.getConnection()) {
            PreviousReleaseRows.writeRoutingAsV52(c, stored);
        }
        // the retention setting as that release applied it (this checkout's moescope_apply_retention needs V53's table)
        execute(db, "SELECT add_retention_policy('token_routing', drop_after => INTERVAL '3650 days')");
        execute(db, "SELECT compress_chunk(c, if_not_compressed => true)"
                + " FROM show_chunks('token_routing', older_than => TIMESTAMPTZ '2024-01-02') c");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(strings(db, "SELECT proc_name || ' ' || coalesce(config ->> 'drop_after',"
                + " config ->> 'compress_after') FROM timescaledb_information.jobs"
                + " WHERE hypertable_name = 'token_routing' ORDER BY proc_name"))
                .containsExactly("policy_compression 2 days", "policy_retention 3650 days");
        assertThat(strings(db, "SELECT is_compressed::text FROM timescaledb_information.chunks"
                + " WHERE hypertable_name = 'token_routing' AND range_start = TIMESTAMPTZ '2024-01-01'"))
                .containsExactly("true");
        assertThat(strings(db, "SELECT attname || ' ' || coalesce(segmentby_column_index, orderby_column_index)"
                + " FROM timescaledb_information.compression_settings WHERE hypertable_name = 'token_routing'"
                + " ORDER BY segmentby_column_index NULLS LAST, orderby_column_index"))
                .containsExactly("request_key 1", "token_index 1", "routed_at 2");
        var read = new ArrayList<TokenRouting>();
        new RoutingReader(db).forEach("run-ts", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), read::add);
        assertThat(read).isEqualTo(stored.stream().map(TimescaleDbPathTest::asStored).toList());
    }

    /** {@code token} as the packed column keeps it: weights and entropies rounded to binary16. */
    private static TokenRouting asStored(TokenRouting token) {
        return new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(), token.phase(),
                token.timestampMicros(), PackedRouting.decode(PackedRouting.encode(TokenView.of(token))));
    }

    /** Tokens [from, to) of one request, routed {@code shiftMicros} after the usual instants (2024-01-01). */
    private static List<TokenRouting> tokens(int from, int to, long shiftMicros) {
        var tokens = new ArrayList<TokenRouting>();
        for (int i = from; i < to; i++) {
            TokenRouting t = Tokens.token("run-ts", "req-1", i, Phase.DECODE, LAYERS, EXPERTS);
            tokens.add(new TokenRouting(t.runId(), t.requestId(), t.tokenIndex(), t.tokenId(), t.phase(),
                    t.timestampMicros() + shiftMicros, t.decisions()));
        }
        return tokens;
    }

    private WriteResult write(DataSource db, List<TokenRouting> tokens) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            WriteResult result = writer.write(c, tokens);
            c.commit();
            return result;
        }
    }

    private static List<String> hypertables(DataSource db) throws SQLException {
        return strings(db, "SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1");
    }

    private static List<String> strings(DataSource db, String sql) throws SQLException {
        var values = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static long single(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
