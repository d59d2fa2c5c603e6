package io.moescope.ingest.counts;

import static io.moescope.ingest.support.Tokens.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ExpertCounts.LayerCounts;
import io.moescope.events.Phase;
import io.moescope.ingest.support.Databases;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.counts.ExpertCountsWriter;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The steps of aggregate-only runs in storage: {@code expert_count_step} (V49) holds each step once, and only the steps
 * a write inserts are added to the rollups, read through the same views as tokens' counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpertCountsWriterTest {

    private DataSource db;
    private final ExpertCountsWriter writer = new ExpertCountsWriter();

    /** Where this class's database lives; the TimescaleDB subclass gives the server's. */
    protected Databases databases() {
        return Databases.EMBEDDED_POSTGRES;
    }

    @BeforeAll
    void migrate() {
        db = databases().migrated("expert_counts");
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE expert_count_step, layer_load, load_grid_minute, load_grid_current,"
                    + " load_grid_hour, run_volume");
        }
    }

    /** Step {@code step} of run "r": 1 token at layers 1 and 3, routed {@code seconds} after T0. */
    private static ExpertCounts step(long step, long seconds, long[] layer1, long[] layer3) {
        return new ExpertCounts("r", step, Phase.UNKNOWN, T0_MICROS + seconds * 1_000_000, 1,
                List.of(new LayerCounts(1, layer1), new LayerCounts(3, layer3)));
    }

    @Test
    void aStepIsStoredOnceAndReadBackAsItWasSent() throws SQLException {
        var steps = List.of(step(0, 0, new long[] {1, 1, 0, 0}, new long[] {0, 0, 1, 1}),
                step(1, 1, new long[] {0, 1, 1, 0}, new long[] {1, 0, 0, 1}));
        assertThat(write(steps)).isEqualTo(2);

        var read = new ArrayList<ExpertCounts>();
        new ExpertCountSteps(JdbcClient.create(db)).forEach("r", read::add);
        assertThat(read).isEqualTo(steps);
        assertThat(new ExpertCountSteps(JdbcClient.create(db)).stepsOf("r")).isEqualTo(2);
    }

    @Test
    void aStepWrittenAgainIsNeitherStoredNorCountedAgain() throws SQLException {
        var steps = List.of(step(0, 0, new long[] {1, 1, 0, 0}, new long[] {0, 0, 1, 1}));
        write(steps);
        assertThat(write(steps)).isZero();

        assertThat(rows("SELECT layer || ' P' || phase || ' ' || tokens::text FROM layer_load ORDER BY layer"))
                .isEqualTo("1 P2 {1,1,0,0} | 3 P2 {0,0,1,1}");
        assertThat(rows("SELECT tokens || ' ' || decisions FROM run_volume")).isEqualTo("1 2");
    }

    @Test
    void aStepTwiceInOneBatchIsCountedOnce() throws SQLException {
        var once = step(0, 0, new long[] {1, 1, 0, 0}, new long[] {0, 0, 1, 1});
        assertThat(write(List.of(once, once))).isEqualTo(1);
        assertThat(rows("SELECT tokens::text FROM layer_load WHERE layer = 1")).isEqualTo("{1,1,0,0}");
    }

    @Test
    void stepsOfOneMinuteAddToItsGridAndALaterMinutesFinishIt() throws SQLException {
        write(List.of(step(0, 0, new long[] {1, 1, 0, 0}, new long[] {0, 0, 1, 1}),
                step(1, 30, new long[] {1, 0, 1, 0}, new long[] {0, 1, 0, 1})));
        write(List.of(step(2, 90, new long[] {0, 0, 1, 1}, new long[] {1, 1, 0, 0})));

        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') || ' L' || layer || ' E' || expert || ' ' || tokens"
                + " FROM expert_load_minute WHERE layer = 1 ORDER BY bucket, expert"))
                .isEqualTo("00:00 L1 E0 2 | 00:00 L1 E1 1 | 00:00 L1 E2 1 | 00:01 L1 E2 1 | 00:01 L1 E3 1");
        assertThat(rows("SELECT to_char(bucket, 'HH24:MI') FROM load_grid_minute")).isEqualTo("00:00");
        assertThat(rows("SELECT tokens || ' ' || decisions || ' ' || to_char(last_routed_at, 'HH24:MI:SS')"
                + " FROM run_volume")).isEqualTo("3 6 00:01:30");
    }

    private int write(List<ExpertCounts> steps) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int inserted = writer.write(c, steps);
            c.commit();
            return inserted;
        }
    }

    /** The rows' single column, joined with " | ". */
    private String rows(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            var out = new StringBuilder();
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : " | ").append(rs.getString(1));
            }
            return out.toString();
        }
    }
}
