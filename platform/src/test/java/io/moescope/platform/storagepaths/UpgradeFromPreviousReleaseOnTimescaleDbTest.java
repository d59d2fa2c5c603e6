package io.moescope.platform.storagepaths;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.support.Database;
import io.moescope.ingest.support.TimescaleDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link UpgradeFromPreviousReleaseTest} on the TimescaleDB server (hypertables), as its superuser. */
@EnabledIfEnvironmentVariable(named = TimescaleDbServer.URL_VARIABLE, matches = ".+",
        disabledReason = TimescaleDbServer.HOW_TO_RUN)
class UpgradeFromPreviousReleaseOnTimescaleDbTest extends UpgradeFromPreviousReleaseTest {

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void releasedTimescaleDbDatabase(DynamicPropertyRegistry registry) throws SQLException {
        Database db = releasedDatabaseWithRuns(registry,
                TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER));
        // As the compression policy leaves days older than 2 days: V47 must decompress them to change the column types.
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('token_routing') c");
        }
    }

    @Test
    void theRawChunksCompressedBeforeTheUpgradeAreCompressedAgainByRequestKeyWithTheSamePolicy() {
        // Days 2024-01-01, 01-02 and 01-10: three 1-day chunks
        assertThat(jdbc.queryForList("SELECT is_compressed FROM timescaledb_information.chunks"
                + " WHERE hypertable_name = 'token_routing'", Boolean.class)).containsExactly(true, true, true);
        assertThat(jdbc.queryForList("SELECT attname || ' ' || coalesce(segmentby_column_index, 0) || ' '"
                + " || coalesce(orderby_column_index, 0) FROM timescaledb_information.compression_settings"
                + " WHERE hypertable_name = 'token_routing' ORDER BY attname", String.class))
                // the request's key in place of its run's id since V53: the key names both
                .containsExactly("request_key 1 0", "routed_at 0 2", "token_index 0 1");
        assertThat(jdbc.queryForList("SELECT config ->> 'compress_after' FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_compression' AND hypertable_name = 'token_routing'", String.class))
                .containsExactly("2 days");
    }
}
