package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.app.alerts.RunHealth;
import io.moescope.app.alerts.RunHealthQuery;
import io.moescope.app.runs.RunCatalog;
import io.moescope.app.runs.RunFilter;
import io.moescope.app.runs.RunStatusFilter;
import io.moescope.app.runs.RunSummary;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The Runs list over a few thousand stored runs: the database filters and pages, and each run's health badge comes
 * from its alert history. A context of its own, so the thousands of runs never show up in other tests' lists.
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.test.context=runs-list"})
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
        event(1, "run-100", "PENDING", 1);
        event(1, "run-100", "FIRING", 2);
        event(1, "run-101/layer 3", "FIRING", 1);
        event(1, "run-101/layer 3", "RESOLVED", 2);
        event(2, "run-101/layer 1", "PENDING", 3);
        event(1, "run-102/layer 0", "FIRING", 1);
        event(1, "run-102/layer 0", "RESOLVED", 2);

        Map<String, RunHealth> badges = health.of(List.of("run-100", "run-101", "run-102", "run-103"));

        assertThat(badges).containsExactlyInAnyOrderEntriesOf(Map.of("run-100", RunHealth.FIRING,
                "run-101", RunHealth.PENDING, "run-102", RunHealth.OK, "run-103", RunHealth.OK));
    }

    private void event(long ruleId, String subject, String to, int second) {
        jdbc.update("INSERT INTO alert_event (rule_id, rule_name, subject, from_state, to_state, value, at)"
                + " VALUES (?, 'rule', ?, 'INACTIVE', ?, 1.0, ?)", ruleId, subject, to,
                Timestamp.from(T0.plusSeconds(second)));
    }
}
