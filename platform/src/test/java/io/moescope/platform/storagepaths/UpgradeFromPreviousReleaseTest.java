package io.moescope.platform.storagepaths;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.ingest.support.Database;
import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.platform.EmbeddedPlatformTest;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.TestPropertySource;

/**
 * Upgrading a database in the field: migrated by the previous release (V1..V47 and its repeatable migrations) and
 * holding runs stored as that release's writers stored them (minute rollups as count vectors), it is upgraded by
 * starting this release on it (Flyway migrates on start, as {@code ./moescope serve} does). A subclass per storage path says where the database lives.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
abstract class UpgradeFromPreviousReleaseTest extends EmbeddedPlatformTest {

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;

    /** The previous release's database with runs released-a and released-b, for the application to start on. */
    static Database releasedDatabaseWithRuns(DynamicPropertyRegistry registry, Databases databases)
            throws SQLException {
        Database db = databases.create("released");
        ReleasedMigrations.apply(db.dataSource(), ReleasedMigrations.PREVIOUS_RELEASE);
        RoutedRuns.writeAsPreviousRelease(db.dataSource(), "released");
        ApplicationDatabase.use(registry, db);
        return db;
    }

    @Test
    void runsStoredBeforeTheUpgradeAnswerExactlyAsTheSameRunsStoredAfterIt() throws SQLException {
        RoutedRuns.write(dataSource, "current");

        Map<String, String> released = ApiAnswers.of(http, "released");

        assertThat(renamed(released, "released-", "current-")).isEqualTo(ApiAnswers.of(http, "current"));
    }

    @Test
    void everyTokenAndDecisionStoredBeforeTheUpgradeIsStillThereAndCounted() {
        // 3 requests x 40 tokens = 120 tokens; x 4 layers = 480 decisions; top-2: 960 expert choices in the rollups
        JsonNode run = http.getForObject("/api/runs/released-a", JsonNode.class);

        assertThat(run.path("tokens").asLong()).isEqualTo(120);
        assertThat(run.path("decisions").asLong()).isEqualTo(480);
        assertThat(count("SELECT count(*) FROM token_routing_named WHERE run_id = 'released-a'")).isEqualTo(120);
        assertThat(count("SELECT sum(t) FROM layer_load, unnest(tokens) t WHERE run_id = 'released-a'"))
                .isEqualTo(960);
        assertThat(count("SELECT sum(tokens) FROM expert_load_minute WHERE run_id = 'released-a'")).isEqualTo(960);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    /** The answers with one run-id prefix written as another, in paths and bodies alike. */
    private static Map<String, String> renamed(Map<String, String> answers, String from, String to) {
        var renamed = new TreeMap<String, String>();
        answers.forEach((path, body) -> renamed.put(path.replace(from, to), body.replace(from, to)));
        return renamed;
    }
}
