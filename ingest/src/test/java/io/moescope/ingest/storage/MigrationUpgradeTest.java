package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
