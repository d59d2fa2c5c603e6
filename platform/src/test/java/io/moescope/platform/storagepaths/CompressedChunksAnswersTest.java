package io.moescope.platform.storagepaths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.moescope.ingest.support.TimescaleDbServer;
import io.moescope.platform.EmbeddedPlatformTest;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * On TimescaleDB, the compression policies compress raw routing after 2 days and the minute rollup after 7: what the
 * API serves must not change when they do. The application runs on a fresh database of the TimescaleDB server.
 */
@EnabledIfEnvironmentVariable(named = TimescaleDbServer.URL_VARIABLE, matches = ".+",
        disabledReason = TimescaleDbServer.HOW_TO_RUN)
// no background computation of stored suites: the second answers must be computed from the compressed chunks
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.stored-suites-interval=0"})
class CompressedChunksAnswersTest extends EmbeddedPlatformTest {

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void timescaleDbDatabase(DynamicPropertyRegistry registry) throws SQLException {
        ApplicationDatabase.use(registry,
                TimescaleDbServer.required().databases(TimescaleDbServer.SUPERUSER).create("compressed"));
    }

    @Test
    void everyAnswerIsByteIdenticalBeforeAndAfterCompressingEveryChunkOfRawRoutingAndTheMinuteRollup()
            throws SQLException {
        // These days are past the compression policies' age: their job would race the compress_chunk below.
        jdbc.execute("SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_compression'");
        RoutedRuns.write(dataSource, "compressed");
        Map<String, String> uncompressed = ApiAnswers.of(http, "compressed");

        jdbc.execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('token_routing') c");
        jdbc.execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('load_grid_minute') c");
        // the runs' default suites, stored by the first answers, are computed again from the compressed chunks
        jdbc.update("DELETE FROM run_metric_suite");

        // Days 2024-01-01, 01-02 and 01-10: three 1-day chunks of raw routing; the 7-day chunks of the minute
        // rollup start on Thursdays (2023-12-28, 2024-01-04), so two.
        assertThat(compressedChunks()).containsExactly(entry("load_grid_minute", 2L), entry("token_routing", 3L));
        assertThat(ApiAnswers.of(http, "compressed")).isEqualTo(uncompressed);
    }

    /** Hypertable -> its chunks, provided every one is compressed. */
    private Map<String, Long> compressedChunks() {
        var chunks = new LinkedHashMap<String, Long>();
        jdbc.query("SELECT hypertable_name, count(*), bool_and(is_compressed) FROM timescaledb_information.chunks"
                + " GROUP BY 1 ORDER BY 1", row -> {
                    assertThat(row.getBoolean(3)).as("every chunk of " + row.getString(1) + " compressed").isTrue();
                    chunks.put(row.getString(1), row.getLong(2));
                });
        return chunks;
    }
}
