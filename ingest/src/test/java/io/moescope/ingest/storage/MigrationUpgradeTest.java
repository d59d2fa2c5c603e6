package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.ingest.support.TestPostgres;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Databases migrated by an earlier release start on the current migrations. */
class MigrationUpgradeTest {

    /** The checksum Flyway recorded for V2 as released before it stopped reading shared_preload_libraries. */
    private static final int RELEASED_V2_CHECKSUM = -661741432;

    @Test
    void aDatabaseMigratedWithTheReleasedV2ValidatesAndRecordsTheCurrentChecksum() throws SQLException {
        DataSource db = TestPostgres.createMigratedDatabase("upgrade_v2");
        int current = v2Checksum(db);
        execute(db, "UPDATE flyway_schema_history SET checksum = " + RELEASED_V2_CHECKSUM + " WHERE version = '2'");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(v2Checksum(db)).isEqualTo(current).isNotEqualTo(RELEASED_V2_CHECKSUM);
    }

    @Test
    void aRunStoredByThePreviousReleaseHasSeparableRequestsAfterTheUpgrade() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_separable"));
        ReleasedMigrations.apply(db, ReleasedMigrations.PREVIOUS_RELEASE);
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
    void aRunStoredByThePreviousReleaseHasNoTapResponsesAfterTheUpgrade() throws SQLException {
        DataSource db = TestPostgres.dataSource(TestPostgres.createDatabase("upgrade_tap_responses"));
        ReleasedMigrations.apply(db, ReleasedMigrations.PREVIOUS_RELEASE);
        try (Connection c = db.getConnection()) {
            // as the previous release's tap stored its run: the end event without responses
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
