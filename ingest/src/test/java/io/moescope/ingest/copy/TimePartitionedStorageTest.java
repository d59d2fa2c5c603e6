package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.ingest.support.Tokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partitioned storage path (V2): daily partitions, retention, the minute rollup and the V1 upgrade. */
class TimePartitionedStorageTest {

    private static final long MINUTE = 60_000_000L;
    private static final long DAY = 86_400_000_000L;

    private static DataSource db;

    private final TokenRoutingCopyWriter writer = new TokenRoutingCopyWriter();

    @BeforeAll
    static void migrate() {
        db = TestPostgres.createMigratedDatabase("partitioned");
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE token_routing, layer_load, load_grid_minute, load_grid_current, load_grid_hour, run_volume");
    }

    @Test
    void isOnThePartitionedPathHere() throws SQLException {
        assertThat(query("SELECT moescope_storage_path()")).isEqualTo("partitioned");
    }

    @Test
    void rowsLandInOneDailyPartitionPerUtcDayCreatedOnDemand() throws SQLException {
        // 2024-01-01 23:59:59.999999 and 2024-01-02 00:00 UTC, and a token from 1970 that an old trace might carry.
        write(List.of(token("req-1", 0, T0_MICROS + DAY - 1), token("req-1", 1, T0_MICROS + DAY),
                token("req-2", 0, 0L)));

        assertThat(query("SELECT string_agg(tableoid::regclass::text || ':' || token_index, ',' ORDER BY"
                + " request_key, token_index) FROM token_routing"))
                .isEqualTo("token_routing_p20240101:0,token_routing_p20240102:1,token_routing_p19700101:0");
    }

    @Test
    void aBatchReplayedAcrossPartitionsInsertsAndCountsNothingTwice() throws SQLException {
        var batch = new ArrayList<TokenRouting>();
        for (int i = 0; i < 100; i++) {
            batch.add(token("req-1", i, T0_MICROS + DAY - 50 * MINUTE / 60 + i * MINUTE / 60)); // spans midnight
        }
        WriteResult first = write(batch);
        WriteResult replay = write(batch);

        assertThat(first.inserted()).isEqualTo(100);
        assertThat(replay.inserted()).isZero();
        assertThat(query("SELECT count(*) FROM token_routing")).isEqualTo("100");
        assertThat(query("SELECT sum(tokens) FROM expert_load")).isEqualTo("200");
        assertThat(query("SELECT sum(tokens) FROM expert_load_minute")).isEqualTo("200");
        assertThat(query("SELECT tokens FROM run_volume")).isEqualTo("100");
    }

    @Test
    void theMinuteRollupCountsPerMinuteTheSameOnTheFastAndTheSafePath() throws SQLException {
        // run-1's batch is all new (fast path, counted in Java); run-2's repeats a token (safe path, counted by
        // PostgreSQL from the inserted rows). Same tokens, so the same counts.
        var tokens = new ArrayList<TokenRouting>();
        for (int i = 0; i < 300; i++) {
            tokens.add(Tokens.token("run-1", "req-1", i, i < 150 ? Phase.PREFILL : Phase.DECODE, 3, 5));
        }
        var shifted = new ArrayList<TokenRouting>();
        for (int i = 0; i < 300; i++) {
            TokenRouting t = tokens.get(i);
            // one token per second: 5 minutes
            shifted.add(new TokenRouting("run-1", t.requestId(), i, t.tokenId(), t.phase(), T0_MICROS + i * 1_000_000L,
                    t.decisions()));
        }
        var repeated = new ArrayList<TokenRouting>();
        shifted.forEach(t -> repeated.add(new TokenRouting("run-2", t.requestId(), t.tokenIndex(), t.tokenId(),
                t.phase(), t.timestampMicros(), t.decisions())));
        repeated.add(repeated.get(7));

        write(shifted);
        write(repeated);

        Map<String, Long> run1 = minuteLoad("run-1");
        assertThat(run1.keySet().stream().map(k -> k.substring(0, k.indexOf(' '))).distinct()).hasSize(5);
        assertThat(run1.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300 * 3 * 2);
        assertThat(minuteLoad("run-2")).isEqualTo(run1);
        assertThat(query("SELECT sum(tokens) FROM expert_load_hourly WHERE run_id = 'run-2'")).isEqualTo("1800");
    }

    @Test
    void retentionForgetsTheRequestKeysOfTheRequestsWhoseEveryRowItDropped() throws SQLException {
        long now = System.currentTimeMillis() * 1000;
        write(List.of(token("req-old", 0, now - 40 * DAY), token("req-long", 0, now - 40 * DAY),
                token("req-long", 1, now), token("req-new", 0, now)));
        assertThat(query("SELECT string_agg(request_id, ',' ORDER BY request_id) FROM routing_request"))
                .isEqualTo("req-long,req-new,req-old");

        query("SELECT moescope_apply_retention(INTERVAL '30 days')");

        // req-long began before the horizon but keeps a row: its key stays, and its row reads as before
        assertThat(query("SELECT string_agg(request_id, ',' ORDER BY request_id) FROM routing_request"))
                .isEqualTo("req-long,req-new");
        assertThat(query("SELECT string_agg(request_id || ':' || token_index, ',' ORDER BY request_id)"
                + " FROM token_routing_named")).isEqualTo("req-long:1,req-new:0");
        // a late token of the forgotten request gets a key again
        write(List.of(token("req-old", 1, now)));
        assertThat(query("SELECT string_agg(request_id || ':' || token_index, ',' ORDER BY request_id)"
                + " FROM token_routing_named")).isEqualTo("req-long:1,req-new:0,req-old:1");
    }

    @Test
    void retentionWaitsForABatchThatHoldsARequestKeyItWouldForgetAndKeepsTheKey() throws Exception {
        long now = System.currentTimeMillis() * 1000;
        write(List.of(token("req-long", 0, now - 40 * DAY)));
        String routing = query("SELECT encode(routing, 'hex') FROM token_routing");
        try (Connection batch = db.getConnection(); Statement s = batch.createStatement()) {
            batch.setAutoCommit(false);
            // The writer's first step: the batch's request keys. The request's only row is older than the retention.
            String key = single(s, "SELECT (moescope_request_keys(ARRAY['run-1'], ARRAY['req-long'], ARRAY["
                    + now + "::bigint]))[1]");
            CompletableFuture<String> retention = CompletableFuture.supplyAsync(() -> {
                try {
                    return query("SELECT moescope_apply_retention(INTERVAL '30 days')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // time enough for retention to forget the key if nothing stops it
            // The writer's second step: the rows, named by the key it was given.
            s.execute("INSERT INTO token_routing (routed_at, token_index, token_id, request_key, phase, routing)"
                    + " VALUES (now(), 1, 1, " + key + ", 1, decode('" + routing + "', 'hex'))");
            batch.commit();
            assertThat(retention.get(30, TimeUnit.SECONDS)).isEqualTo("1");
        }

        assertThat(query("SELECT count(*) FROM token_routing t"
                + " WHERE NOT EXISTS (SELECT 1 FROM routing_request r WHERE r.request_key = t.request_key)"))
                .isEqualTo("0");
        assertThat(query("SELECT string_agg(request_id || ':' || token_index, ',') FROM token_routing_named"))
                .isEqualTo("req-long:1");
    }

    @Test
    void retentionDropsWholeDaysOlderThanTheSettingAndALateRowOfADroppedDayIsStillStored() throws SQLException {
        long now = System.currentTimeMillis() * 1000;
        write(List.of(token("req-old", 0, now - 40 * DAY), token("req-new", 0, now)));

        assertThat(Integer.parseInt(query("SELECT moescope_apply_retention(INTERVAL '30 days')"))).isPositive();
        assertThat(query("SELECT string_agg(request_id, ',') FROM token_routing_named")).isEqualTo("req-new");
        assertThat(query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'token_routing'::regclass"
                + " AND inhrelid::regclass::text ~ '_p[0-9]{8}$'"
                + " AND inhrelid::regclass::text < 'token_routing_p' || to_char(now() - INTERVAL '31 days', 'YYYYMMDD')"))
                .as("partitions of days older than the retention").isEqualTo("0");
        assertThat(query("SELECT sum(tokens) FROM expert_load")).as("rollups are kept").isEqualTo("4");
        assertThat(query("SELECT moescope_apply_retention(NULL)")).isEqualTo("0");

        // The writer still believes the old day's partition exists: the row lands in the default partition.
        // (Storage maintenance gives it its day's partition again: StorageMaintenanceTest.)
        WriteResult late = write(List.of(token("req-old", 1, now - 40 * DAY)));
        assertThat(late.inserted()).isEqualTo(1);
        assertThat(query("SELECT count(*) FROM token_routing")).isEqualTo("2");
    }

    @Test
    void upgradingAV1DatabaseMovesItsRowsAndBuildsTheMinuteRollup() throws SQLException {
        String name = TestPostgres.createDatabase("v1_upgrade");
        DataSource v1 = TestPostgres.dataSource(name);
        ReleasedMigrations.apply(v1, "1");
        try (Connection c = v1.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO token_routing VALUES"
                    + " ('run-1', 'req-1', 0, 5, 0, '2024-01-01 00:00:10+00', '{0,1}', '{3,4,4,5}', '{.5,.5,.5,.5}',"
                    + " '{1,1}'),"
                    + " ('run-1', 'req-1', 1, 6, 1, '2024-01-02 00:01:10+00', '{0,1}', '{3,4,4,6}', '{.5,.5,.5,.5}',"
                    + " '{1,NULL}')");
        }

        Flyway.configure().dataSource(v1).load().migrate();

        try (Connection c = v1.getConnection(); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM token_routing")).isEqualTo("2");
            assertThat(single(s, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'token_routing'::regclass"))
                    .isEqualTo("3"); // two days and the default partition
            assertThat(single(s, "SELECT string_agg(bucket || ' L' || layer || ' E' || expert || ' ' || tokens, ', '"
                    + " ORDER BY bucket, layer, expert) FROM expert_load_minute"))
                    .isEqualTo("2024-01-01 00:00:00+00 L0 E3 1, 2024-01-01 00:00:00+00 L0 E4 1,"
                            + " 2024-01-01 00:00:00+00 L1 E4 1, 2024-01-01 00:00:00+00 L1 E5 1,"
                            + " 2024-01-02 00:01:00+00 L0 E3 1, 2024-01-02 00:01:00+00 L0 E4 1,"
                            + " 2024-01-02 00:01:00+00 L1 E4 1, 2024-01-02 00:01:00+00 L1 E6 1");
        }
    }

    @Test
    void aRowWrittenByAnythingButIngestForADayWithoutPartitionWaitsInTheDefaultPartitionUntilItsDayHasOne()
            throws SQLException {
        execute("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at, routing)"
                + " VALUES ('run-9', 'req-1', 0, 5, 0, '2023-03-04 05:06:07+00', moescope_routing_pack('{0}', '{1,2}',"
                + " moescope_fp16_array('{.5,.5}'::real[]), moescope_fp16_array('{1}'::real[])))");
        assertThat(query("SELECT tableoid::regclass FROM token_routing WHERE request_key"
                + " = (SELECT request_key FROM routing_request WHERE run_id = 'run-9')"))
                .isEqualTo("token_routing_default");

        assertThat(query("SELECT moescope_create_partitions('{2023-03-04}')")).isEqualTo("1");

        assertThat(query("SELECT tableoid::regclass FROM token_routing WHERE request_key"
                + " = (SELECT request_key FROM routing_request WHERE run_id = 'run-9')"))
                .isEqualTo("token_routing_p20230304");
        assertThat(query("SELECT count(*) FROM token_routing_default")).isEqualTo("0");
        // Still one key: a replay of it conflicts in its new partition.
        WriteResult replay = write(List.of(new TokenRouting("run-9", "req-1", 0, 5, Phase.PREFILL,
                Instant.parse("2023-03-04T05:06:07Z").getEpochSecond() * 1_000_000L, List.of(
                        new RouterDecision(0, new int[] {1, 2}, new float[] {0.5f, 0.5f}, 1f)))));
        assertThat(replay.inserted()).isZero();
    }

    private static TokenRouting token(String request, int index, long micros) {
        return new TokenRouting("run-1", request, index, 1, Phase.DECODE, micros, List.of(
                new RouterDecision(0, new int[] {1, 2}, new float[] {0.5f, 0.5f}, 1f)));
    }

    private WriteResult write(List<TokenRouting> tokens) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            WriteResult result = writer.write(c, tokens);
            c.commit();
            return result;
        }
    }

    /** "minute Lx Ey Pz" -> tokens. */
    private static Map<String, Long> minuteLoad(String runId) throws SQLException {
        var load = new LinkedHashMap<String, Long>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extract(epoch FROM bucket)::bigint, layer, expert, phase, tokens"
                     + " FROM expert_load_minute WHERE run_id = '" + runId + "' ORDER BY 1, 2, 3, 4")) {
            while (rs.next()) {
                load.put(rs.getLong(1) + " L" + rs.getInt(2) + " E" + rs.getInt(3) + " P" + rs.getShort(4),
                        rs.getLong(5));
            }
        }
        return load;
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            return single(s, sql);
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
