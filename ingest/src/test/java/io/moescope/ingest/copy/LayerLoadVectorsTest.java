package io.moescope.ingest.copy;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.support.ReleasedMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The rollups' storage: per run, layer and phase a vector holding a count per expert (V44), per run, minute and phase
 * one grid of every layer's counts (V48, {@link io.moescope.storage.rollups.CountGrid}), read through the per-expert
 * views {@code expert_load}, {@code expert_load_minute} and {@code expert_load_hourly}.
 */
class LayerLoadVectorsTest extends WrittenTablesTest {

    LayerLoadVectorsTest() {
        super("layer_load");
    }

    @Test
    void aBatchStoresOneCountVectorPerLayerAndPhaseAsLongAsTheRunsHighestExpertIdPlusOne() throws SQLException {
        write(List.of(token(0, Phase.PREFILL, 1, 3), token(1, Phase.PREFILL, 3, 0), token(2, Phase.DECODE, 1, 2)));

        assertThat(rows("SELECT layer || ' P' || phase || ' ' || tokens::text FROM layer_load ORDER BY layer, phase"))
                .isEqualTo("0 P0 {1,1,0,2} | 0 P1 {0,1,1,0}");
    }

    @Test
    void aBatchCountsItsMinuteInOneCurrentGridPerRunAndPhase() throws SQLException {
        write(List.of(token(0, Phase.PREFILL, 1, 3), token(1, Phase.PREFILL, 3, 0), token(2, Phase.DECODE, 1, 2)));

        // 2 bits a cell | 4 experts | 1 layer | no escaped count | layer 0 | counts 1,1,0,2 (prefill): 01 01 00 10,
        // 0,1,1,0 (decode): 00 01 01 00
        assertThat(rows("SELECT bucket || ' P' || phase || ' ' || encode(counts, 'hex') FROM load_grid_current"
                + " ORDER BY phase"))
                .isEqualTo("2024-01-01 00:00:00+00 P0 02" + "0004" + "0001" + "00" + "0000" + "52"
                        + " | 2024-01-01 00:00:00+00 P1 02" + "0004" + "0001" + "00" + "0000" + "14");
    }

    @Test
    void aLaterBatchOfTheSameMinuteAddsToItsGrid() throws SQLException {
        write(List.of(token(0, Phase.DECODE, 0, 1)));
        write(List.of(token(1, Phase.DECODE, 1, 5)));

        // 2 bits a cell | 6 experts | 1 layer | no escaped count | layer 0 | counts 1,2,0,0,0,1: 01 10 00 00 00 01 0000
        assertThat(rows("SELECT encode(counts, 'hex') FROM load_grid_current"))
                .isEqualTo("02" + "0006" + "0001" + "00" + "0000" + "6010");
        assertThat(rows("SELECT count(*) FROM load_grid_minute")).isEqualTo("0");
    }

    @Test
    void aBatchOfALaterMinuteFinishesTheCurrentOne() throws SQLException {
        write(List.of(token(0, Phase.DECODE, 0, 1)));
        write(List.of(token(60_000, Phase.DECODE, 1, 2)));

        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' ' || encode(counts, 'hex') FROM load_grid_minute"))
                .isEqualTo("00:00 04" + "0002" + "0001" + "00" + "0000" + "11"); // 2, 3 or 4 bits: 1 B, the most bits
        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' ' || encode(counts, 'hex') FROM load_grid_current"))
                .isEqualTo("00:01 02" + "0003" + "0001" + "00" + "0000" + "14");
    }

    @Test
    void aPhasesCurrentMinuteStaysCurrentAndUntouchedWhileOnlyOtherPhasesComeLater() throws SQLException {
        write(List.of(token(0, Phase.PREFILL, 0, 1)));
        String prefillVersion = rows("SELECT xmin FROM load_grid_current WHERE phase = 0");
        write(List.of(token(60_000, Phase.DECODE, 1, 2)));
        write(List.of(token(120_000, Phase.DECODE, 2, 3)));

        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' P' || phase FROM load_grid_current ORDER BY phase"))
                .isEqualTo("00:00 P0 | 00:02 P1");
        assertThat(rows("SELECT xmin FROM load_grid_current WHERE phase = 0")).isEqualTo(prefillVersion);
        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' P' || phase FROM load_grid_minute")).isEqualTo("00:01 P1");
    }

    @Test
    void lateTokensOfAFinishedMinuteAddToItsStoredGrid() throws SQLException {
        write(List.of(token(0, Phase.DECODE, 0, 1)));
        write(List.of(token(60_000, Phase.DECODE, 1, 2)));
        write(List.of(token(1, Phase.DECODE, 0, 2)));

        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' ' || encode(counts, 'hex') FROM load_grid_minute"))
                .isEqualTo("00:00 02" + "0003" + "0001" + "00" + "0000" + "94");
        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' E' || expert || ' ' || tokens FROM expert_load_minute"
                + " ORDER BY bucket, expert")).isEqualTo("00:00 E0 2 | 00:00 E1 1 | 00:00 E2 1 | 00:01 E1 1 | 00:01 E2 1");
    }

    @Test
    void tokensOfUnknownPhaseAreStoredWithCodeTwoAndCountedInTheirOwnVector() throws SQLException {
        write(List.of(token(0, Phase.PREFILL, 1, 3), token(1, Phase.UNKNOWN, 3, 0), token(2, Phase.UNKNOWN, 1, 2)));

        assertThat(rows("SELECT token_index || ' P' || phase FROM token_routing ORDER BY token_index"))
                .isEqualTo("0 P0 | 1 P2 | 2 P2");
        assertThat(rows("SELECT layer || ' P' || phase || ' ' || tokens::text FROM layer_load ORDER BY layer, phase"))
                .isEqualTo("0 P0 {0,1,0,1} | 0 P2 {1,1,1,1}");
        assertThat(rows("SELECT phase || ' ' || encode(counts, 'hex') FROM load_grid_current ORDER BY phase"))
                .isEqualTo("0 020004000100" + "0000" + "11 | 2 020004000100" + "0000" + "55");
    }

    @Test
    void theViewsShowOneRowPerExpertWithANonZeroCount() throws SQLException {
        write(List.of(token(0, Phase.PREFILL, 1, 3), token(1, Phase.PREFILL, 3, 0), token(2, Phase.DECODE, 1, 2)));

        assertThat(rows("SELECT layer || ' E' || expert || ' P' || phase || ' ' || tokens FROM expert_load"
                + " ORDER BY phase, expert"))
                .isEqualTo("0 E0 P0 1 | 0 E1 P0 1 | 0 E3 P0 2 | 0 E1 P1 1 | 0 E2 P1 1");
        assertThat(rows("SELECT expert || ' P' || phase || ' ' || tokens FROM expert_load_minute ORDER BY phase, expert"))
                .isEqualTo("0 P0 1 | 1 P0 1 | 3 P0 2 | 1 P1 1 | 2 P1 1");
        assertThat(rows("SELECT bucket || ' ' || sum(tokens) FROM expert_load_hourly GROUP BY bucket"))
                .isEqualTo("2024-01-01 00:00:00+00 6");
    }

    @Test
    void aLaterBatchWithAHigherExpertIdLengthensTheVectorAndAddsElementWise() throws SQLException {
        write(List.of(token(0, Phase.DECODE, 0, 1)));
        write(List.of(token(1, Phase.DECODE, 1, 5)));

        assertThat(rows("SELECT tokens::text FROM layer_load")).isEqualTo("{1,2,0,0,0,1}");
    }

    @Test
    void runsOfOneBatchEachGetVectorsAsLongAsTheirOwnHighestExpertIdPlusOne() throws SQLException {
        write(List.of(token("run-a", 0, Phase.DECODE, 0, 1), token("run-b", 0, Phase.DECODE, 7, 2),
                token("run-a", 1, Phase.DECODE, 1, 2)));

        assertThat(rows("SELECT run_id || ' ' || tokens::text FROM layer_load ORDER BY run_id"))
                .isEqualTo("run-a {1,2,1} | run-b {0,0,1,0,0,0,0,1}");
    }

    @Test
    void upgradingAV43DatabaseTurnsItsPerExpertRollupRowsIntoVectors() throws SQLException {
        DataSource v43 = upgraded("v43_upgrade", "43",
                "INSERT INTO expert_load VALUES ('run-1', 0, 2, 1, 7), ('run-1', 0, 0, 1, 3), ('run-1', 1, 1, 0, 4)",
                "INSERT INTO expert_load_minute VALUES ('run-1', '2024-01-01 00:01+00', 0, 2, 1, 7)");

        try (Connection c = v43.getConnection(); Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT layer || ' P' || phase || ' ' || tokens::text FROM layer_load"
                    + " ORDER BY layer")).isEqualTo("0 P1 {3,0,7} | 1 P0 {0,4}");
            assertThat(rows(s, "SELECT layer || ' E' || expert || ' ' || tokens FROM expert_load_minute"))
                    .isEqualTo("0 E2 7");
            assertThat(rows(s, "SELECT layer || ' E' || expert || ' ' || tokens FROM expert_load ORDER BY 1"))
                    .isEqualTo("0 E0 3 | 0 E2 7 | 1 E1 4");
        }
    }

    @Test
    void upgradingAV47DatabasePacksItsMinuteVectorsIntoOneGridPerMinuteAndPhase() throws SQLException {
        DataSource v47 = upgraded("v47_upgrade", "47",
                "INSERT INTO layer_load_minute VALUES ('run-1', '2024-01-01 00:01+00', 0, 1, '{0,0,7}'),"
                        + " ('run-1', '2024-01-01 00:01+00', 2, 1, '{1,0,0,0}'),"
                        + " ('run-1', '2024-01-01 00:01+00', 0, 0, '{2}'), ('run-1', '2024-01-01 00:02+00', 0, 1, '{16}')");

        try (Connection c = v47.getConnection(); Statement s = c.createStatement()) {
            // bits | experts | layers | escaped width | layer ids | cells [| escaped counts]: a single count takes a
            // byte; layers 0 and 2 take 2-bit cells 00 00 11 00 01 00 00 00 and 7 escaped
            assertThat(rows(s, "SELECT to_char(bucket, 'HH24:MI') || ' P' || phase || ' ' || encode(counts, 'hex')"
                    + " FROM load_grid_minute ORDER BY bucket, phase")).isEqualTo(
                    "00:01 P0 08" + "0001" + "0001" + "00" + "0000" + "02"
                    + " | 00:01 P1 02" + "0004" + "0002" + "01" + "00000002" + "0c40" + "07"
                    + " | 00:02 P1 08" + "0001" + "0001" + "00" + "0000" + "10");
            assertThat(rows(s, "SELECT to_char(bucket, 'HH24:MI') || ' L' || layer || ' E' || expert || ' P' || phase"
                    + " || ' ' || tokens FROM expert_load_minute ORDER BY bucket, phase, layer, expert")).isEqualTo(
                    "00:01 L0 E0 P0 2 | 00:01 L0 E2 P1 7 | 00:01 L2 E0 P1 1 | 00:02 L0 E0 P1 16");
        }
    }

    /** A database of the release whose last migration was {@code release}, holding {@code rows}, then migrated. */
    private DataSource upgraded(String name, String release, String... rows) throws SQLException {
        DataSource db = databases().empty(name);
        ReleasedMigrations.apply(db, release);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String insert : rows) {
                s.execute(insert);
            }
        }
        Flyway.configure().dataSource(db).load().migrate();
        return db;
    }

    /** One single-layer token of run-1 choosing the two experts, at T0 plus its index in ms. */
    private static TokenRouting token(int index, Phase phase, int first, int second) {
        return token("run-1", index, phase, first, second);
    }

    private static TokenRouting token(String runId, int index, Phase phase, int first, int second) {
        return new TokenRouting(runId, "req-1", index, 5, phase, T0_MICROS + index * 1000L, List.of(
                new RouterDecision(0, new int[] {first, second}, new float[] {0.5f, 0.5f}, 1f)));
    }
}
