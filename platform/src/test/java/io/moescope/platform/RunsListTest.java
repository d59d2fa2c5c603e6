package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.platform.alerts.RunHealth;
import io.moescope.platform.alerts.RunHealthQuery;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunFilter;
import io.moescope.platform.runs.RunHealthFilter;
import io.moescope.platform.runs.RunStatusFilter;
import io.moescope.platform.runs.RunSummary;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The Runs list over a few thousand stored runs: the database filters and pages, and each run's health badge comes
 * from its alert history. A context of its own, so the thousands of runs never show up in other tests' lists. The
 * alert history is stored by hand, so the alert evaluator does not tick here (its interval is a day): at its first
 * evaluation it takes up the open alerts and resolves those of ended runs, which failed these tests whenever it came
 * between the history's storing and the reading (in CI).
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.test.context=runs-list",
        "moescope.alerts.evaluation-interval=1d"})
class RunsListTest extends EmbeddedPlatformTest {

    /** Runs 0..2999: every third a Qwen model, the rest Mixtral; run 7 still running, run 8 failed. */
    private static final int RUNS = 3000;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private RunCatalog catalog;
    @Autowired
    private RunHealthQuery health;
    @Autowired
    private TestRestTemplate http;

    @BeforeEach
    void storeThousandsOfRuns() {
        if (jdbc.queryForObject("SELECT count(*) FROM run", Long.class) > 0) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String status = i == 7 ? "STARTED" : i == 8 ? "FAILED" : "FINISHED";
            String architecture = i % 3 == 0 ? "Qwen2MoeForCausalLM" : "MixtralForCausalLM";
            rows.add(new Object[] {"run-" + i, "batch " + i, status, architecture,
                    Timestamp.from(T0.plusSeconds(i)), i == 7 ? null : Timestamp.from(T0.plusSeconds(i + 90))});
        }
        jdbc.batchUpdate("INSERT INTO run (run_id, name, source, status, model_name, architecture, num_experts,"
                + " top_k, num_layers, moe_layers, total_parameters, active_parameters, started_at, finished_at)"
                + " VALUES (?, ?, 'probe', ?, 'test', ?, 8, 2, 4, '{0,1,2,3}', 1000, 250, ?, ?)", rows);
        storeAlertHistory();
        jdbc.execute("ANALYZE run");
    }

    /** run-100 firing, run-101 pending (one layer resolved, another pending), run-102 resolved, run-105 pending. */
    private void storeAlertHistory() {
        event(1, "run-100", "PENDING", 1);
        event(1, "run-100", "FIRING", 2);
        event(1, "run-101/layer 3", "FIRING", 1);
        event(1, "run-101/layer 3", "RESOLVED", 2);
        event(2, "run-101/layer 1", "PENDING", 3);
        event(1, "run-102/layer 0", "FIRING", 1);
        event(1, "run-102/layer 0", "RESOLVED", 2);
        event(3, "run-105", "PENDING", 4);
    }

    @Test
    void unfilteredPagesAreNewestFirstAndOnlyAsLongAsAsked() {
        List<RunSummary> page = catalog.page(RunFilter.ALL, PageRequest.of(2, 50)).getContent();

        assertThat(page).hasSize(50);
        assertThat(page.get(0).runId()).isEqualTo("run-2899");
        assertThat(page.get(49).runId()).isEqualTo("run-2850");
        assertThat(catalog.count(RunFilter.ALL)).isEqualTo(RUNS);
    }

    @Test
    void textFilterKeepsRunsWhoseArchitectureContainsTheTextInAnyCase() {
        RunFilter qwen = new RunFilter("  QWEN2moe ", RunStatusFilter.ANY);

        assertThat(catalog.count(qwen)).isEqualTo(1000);
        assertThat(catalog.page(qwen, PageRequest.of(0, 3)).getContent()).extracting(RunSummary::runId)
                .containsExactly("run-2997", "run-2994", "run-2991");
    }

    @Test
    void textFilterMatchesTheNameLiterallyWithoutWildcards() {
        assertThat(catalog.count(new RunFilter("batch 299", RunStatusFilter.ANY))).isEqualTo(11);
        assertThat(catalog.count(new RunFilter("batch_2", RunStatusFilter.ANY))).isZero();
    }

    @Test
    void statusFilterKeepsRunningAndFailedRunsApart() {
        assertThat(catalog.page(new RunFilter("", RunStatusFilter.RUNNING), PageRequest.of(0, 10)).getContent())
                .extracting(RunSummary::runId).containsExactly("run-7");
        assertThat(catalog.page(new RunFilter("", RunStatusFilter.FAILED), PageRequest.of(0, 10)).getContent())
                .extracting(RunSummary::runId).containsExactly("run-8");
        assertThat(catalog.count(new RunFilter("", RunStatusFilter.FINISHED))).isEqualTo(RUNS - 2);
    }

    @Test
    void textAndStatusFiltersCombine() {
        assertThat(catalog.count(new RunFilter("mixtral", RunStatusFilter.RUNNING))).isEqualTo(1);
        assertThat(catalog.count(new RunFilter("qwen", RunStatusFilter.RUNNING))).isZero();
    }

    @Test
    void healthIsTheWorstLatestStateOfTheRunsAlertsIncludingItsLayers() {
        Map<String, RunHealth> badges = health.of(List.of("run-100", "run-101", "run-102", "run-103"));

        assertThat(badges).containsExactlyInAnyOrderEntriesOf(Map.of("run-100", RunHealth.FIRING,
                "run-101", RunHealth.PENDING, "run-102", RunHealth.OK, "run-103", RunHealth.OK));
    }

    @Test
    void healthFilterKeepsTheRunsWhoseLatestAlertStatesMatch() {
        assertThat(catalog.page(new RunFilter("", RunStatusFilter.ANY, RunHealthFilter.FIRING), PageRequest.of(0, 10))
                .getContent()).extracting(RunSummary::runId).containsExactly("run-100");
        assertThat(catalog.page(new RunFilter("", RunStatusFilter.ANY, RunHealthFilter.PENDING),
                PageRequest.of(0, 10)).getContent()).extracting(RunSummary::runId).containsExactly("run-105", "run-101");
        assertThat(catalog.count(new RunFilter("", RunStatusFilter.ANY, RunHealthFilter.OK))).isEqualTo(RUNS - 3);
    }

    @Test
    void healthFilterPagesAndCombinesWithText() {
        RunFilter okBatch10x = new RunFilter("batch 10", RunStatusFilter.ANY, RunHealthFilter.OK);

        // "batch 10" names runs 10, 100-109 and 1000-1099; run-100 fires and run-101 and run-105 are pending.
        assertThat(catalog.count(okBatch10x)).isEqualTo(1 + 10 + 100 - 3);
        assertThat(catalog.page(okBatch10x, PageRequest.of(1, 5)).getContent()).extracting(RunSummary::runId)
                .containsExactly("run-1094", "run-1093", "run-1092", "run-1091", "run-1090");
    }

    @Test
    void apiFiltersByTextStatusAndHealthAndPagesInTheAskedOrder() {
        ResponseEntity<JsonNode> qwenOk = http.getForEntity(
                "/api/runs?text=QWEN&status=finished&health=ok&page=1&size=3&sort=startedAt,asc", JsonNode.class);

        assertThat(qwenOk.getStatusCode().value()).isEqualTo(200);
        // Qwen runs are 0, 3, 6, ...; all finished; run-105 is pending, so 999 are ok. Page 1 of 3, oldest first.
        assertThat(qwenOk.getHeaders().getFirst("X-Total-Count")).isEqualTo("999");
        assertThat(qwenOk.getBody().findValuesAsText("runId")).containsExactly("run-9", "run-12", "run-15");
    }

    /** No producer says how many tokens it sent before its end event: until then the count is unknown, not 0. */
    @Test
    void apiAnswersTokensReportedOnlyForRunsWithAnEndEvent() {
        JsonNode running = http.getForObject("/api/runs?status=running", JsonNode.class);
        JsonNode failed = http.getForObject("/api/runs?text=batch 8&status=failed", JsonNode.class);

        assertThat(running.findValuesAsText("runId")).containsExactly("run-7");
        assertThat(running.findValue("tokensReported").isNull()).isTrue();
        assertThat(failed.findValuesAsText("runId")).containsExactly("run-8");
        assertThat(failed.findValue("tokensReported").asLong(-1)).isEqualTo(0);
    }

    @Test
    void apiHealthFilterAloneKeepsTheFiringRun() {
        ResponseEntity<JsonNode> firing = http.getForEntity("/api/runs?health=FIRING", JsonNode.class);

        assertThat(firing.getHeaders().getFirst("X-Total-Count")).isEqualTo("1");
        assertThat(firing.getBody().findValuesAsText("runId")).containsExactly("run-100");
    }

    @Test
    void apiSortsByAnySortablePropertyDescending() {
        JsonNode byName = http.getForObject("/api/runs?size=2&sort=name,desc", JsonNode.class);

        // Names sort as text: "batch 999" > "batch 998" > ... > "batch 2999".
        assertThat(byName.findValuesAsText("runId")).containsExactly("run-999", "run-998");
    }

    @Test
    void apiRefusesBadFilterPageAndSortNamingTheParameter() {
        assertThat(problem("/api/runs?health=burning")).contains("health must be one of [any, firing, pending, ok]",
                "'burning'");
        assertThat(problem("/api/runs?status=done")).contains("status must be one of", "'done'");
        assertThat(problem("/api/runs?size=1001")).contains("size must be between 1 and 1000 but was 1001");
        assertThat(problem("/api/runs?page=2147483647&size=100")).contains(
                "page must be between 0 and 21474835 (page x size below 2^31) but was 2147483647");
        assertThat(problem("/api/runs?sort=colour")).contains("cannot sort runs by 'colour'");
        assertThat(problem("/api/runs?sort=name,up")).contains("sort direction must be asc or desc, not 'up'");
    }

    @Test
    void textFilterCanBeServedByTheTrigramIndexesOfAllFourSearchedColumns() {
        // The WHERE clause RunSpecifications builds for the text filter, over the view the catalog reads. On 3000
        // narrow rows (40 pages) a scan is honestly cheaper, so the planner is told to avoid one if it can: it can
        // only when an index matches each of the four expressions.
        String explain = "EXPLAIN SELECT run_id FROM run_overview"
                + " WHERE lower(name) LIKE '%batch 2999%' ESCAPE '\\' OR lower(run_id) LIKE '%batch 2999%' ESCAPE '\\'"
                + " OR lower(model_name) LIKE '%batch 2999%' ESCAPE '\\'"
                + " OR lower(architecture) LIKE '%batch 2999%' ESCAPE '\\'";
        List<String> plan = jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
                var lines = new ArrayList<String>();
                try (ResultSet rows = statement.executeQuery(explain)) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                statement.execute("RESET enable_seqscan");
                return lines;
            }
        });

        assertThat(String.join("\n", plan)).contains("BitmapOr", "Bitmap Index Scan on run_name_trgm",
                "Bitmap Index Scan on run_id_trgm", "Bitmap Index Scan on run_model_name_trgm",
                "Bitmap Index Scan on run_architecture_trgm").doesNotContain("Seq Scan");
    }

    private String problem(String uri) {
        ResponseEntity<String> response = http.getForEntity(uri, String.class);
        assertThat(response.getStatusCode().value()).as(uri).isEqualTo(400);
        return response.getBody();
    }

    private void event(long ruleId, String subject, String to, int second) {
        jdbc.update("INSERT INTO alert_event (rule_id, rule_name, subject, from_state, to_state, value, at)"
                + " VALUES (?, 'rule', ?, 'INACTIVE', ?, 1.0, ?)", ruleId, subject, to,
                Timestamp.from(T0.plusSeconds(second)));
    }
}
