package io.moescope.platform;

import static io.moescope.platform.SuiteAnswers.figures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.alerts.AlertRuleRequest;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.SuiteBenchmark;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The stored default suite of an ended run ({@code run_metric_suite}): served while it covers the run's data, the
 * same JSON as a computation from the raw decisions, never served once data was stored after it, and computed in
 * the background for an ended run that nobody asked about. The runs are the API tests' ({@link StoredRuns}) and the
 * suite benchmark's generated run (two requests of 1000 tokens, prefill and decode, a skewed router).
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.stored-suites-interval=200ms"})
class StoredMetricSuiteTest extends EmbeddedPlatformTest {

    private static final int[][] NEXT_TOKEN = {{2, 3}, {0, 1}};

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MetricSuiteService suites;
    @Autowired
    private AlertRuleService rules;
    @Autowired
    private ObjectMapper json;

    private StoredRuns runs;

    @BeforeEach
    void storeRuns() {
        runs = new StoredRuns(jdbc);
        runs.store("stored-two", "stored-run-two", 4, 2, StoredRuns.RUN_A, 2);
        runs.storeNotSeparable("stored-c", "stored-run-c", 4, 2, StoredRuns.RUN_B,
                "requests in stream '0': 3 of its 3 forward passes after the first hold several tokens");
        if (jdbc.queryForObject("SELECT count(*) FROM run WHERE run_id = 'bench'", Long.class) == 0) {
            SuiteBenchmark.generate(jdbc, 2_000, 4, 8);
        }
    }

    private JsonNode metrics(String runId, String query) {
        return http.getForObject("/api/runs/" + runId + "/metrics" + query, JsonNode.class);
    }

    /** The suite computed from the raw decisions now, in the API's JSON. */
    private String fresh(String runId) throws Exception {
        return new SuiteAnswers(suites, json).fromRawDecisions(runId);
    }

    private JsonNode storedAnswer(String runId) {
        metrics(runId, "");
        JsonNode answer = metrics(runId, "");
        assertThat(answer.path("computed").path("stored").asBoolean()).as("served from the store").isTrue();
        return answer;
    }

    @Test
    void theStoredSuiteOfAnEndedRunIsTheSameJsonAsOneComputedFromTheRawDecisions() throws Exception {
        for (String run : new String[] {"stored-two", "stored-c", "bench"}) {
            assertThat(figures(storedAnswer(run))).as(run).isEqualTo(fresh(run));
        }
    }

    @Test
    void theAnswerSaysWhenItWasComputedAndWhichDataItCovers() {
        JsonNode computed = storedAnswer("stored-two").path("computed");

        assertThat(computed.path("runTokens").asLong()).isEqualTo(4);
        assertThat(computed.path("runDecisions").asLong()).isEqualTo(8);
        assertThat(computed.path("at").asText()).isEqualTo(jdbc.queryForObject("SELECT computed_at FROM"
                + " run_metric_suite WHERE run_id = 'stored-two'", java.sql.Timestamp.class).toInstant().toString());
    }

    @Test
    void anEndedRunGetsItsSuiteStoredWithoutAnyRequest() throws Exception {
        runs.store("stored-eager", "stored-run-eager", 4, 2, StoredRuns.RUN_B);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (stored("stored-eager") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(stored("stored-eager")).isEqualTo(1);
        JsonNode answer = metrics("stored-eager", "");
        assertThat(answer.path("computed").path("stored").asBoolean()).isTrue();
        assertThat(figures(answer)).isEqualTo(fresh("stored-eager"));
    }

    @Test
    void aRunStillArrivingIsComputedForEachRequestAndNotStored() {
        runs.store("stored-live", "stored-run-live", 4, 2, StoredRuns.RUN_A);
        runs.running("stored-live");

        assertThat(metrics("stored-live", "").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-live", "").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(stored("stored-live")).isZero();
    }

    /** A late token (a replayed import, a resumed run): the suite stored before it is never served again. */
    @Test
    void dataStoredAfterTheSuiteMakesItStale() throws Exception {
        runs.store("stored-late", "stored-run-late", 4, 2, StoredRuns.RUN_A);
        storedAnswer("stored-late");

        runs.addToken("stored-late", "q1", 4, 4, 1, NEXT_TOKEN);
        JsonNode answer = metrics("stored-late", "");

        assertThat(answer.path("tokens").asLong()).isEqualTo(5);
        assertThat(answer.path("computed").path("runTokens").asLong()).isEqualTo(5);
        assertThat(answer.path("computed").path("runDecisions").asLong()).isEqualTo(10);
        assertThat(figures(answer)).isEqualTo(fresh("stored-late"));
        assertThat(figures(storedAnswer("stored-late"))).isEqualTo(fresh("stored-late"));
    }

    @Test
    void otherOptionsAndNarrowerSetsAreComputedAndTheDefaultsNamedAreServedFromTheStore() {
        storedAnswer("stored-two");

        assertThat(metrics("stored-two", "?tau=0.2").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-two", "?window=8").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-two", "?layer=1").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-two", "?phase=decode").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-two", "?request=q1").path("computed").path("stored").asBoolean()).isFalse();
        assertThat(metrics("stored-two", "?layer=0&cache=2&tau=0.1&window=16").path("computed").path("stored")
                .asBoolean()).isTrue();
    }

    @Test
    void anUnknownRunIsStillNotFound() {
        var response = http.getForEntity("/api/runs/stored-nobody/metrics", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(stored("stored-nobody")).isZero();
    }

    /**
     * Layer 0 of run A: MaxVio 0.5, under every seeded rule (OK); a rule for this run firing above 0.2 changes its
     * verdict, and the stored suite answers with the rule enabled now, as a fresh computation does.
     */
    @Test
    void theStoredSuiteIsJudgedByTheRulesEnabledNow() throws Exception {
        runs.store("stored-judged", "stored-run-judged", 4, 2, StoredRuns.RUN_A);
        JsonNode before = storedAnswer("stored-judged");
        assertThat(before.path("layers").get(0).path("verdict").path("status").asText()).isEqualTo("OK");

        var rule = rules.create(new AlertRuleRequest("stored judged", "max_vio", "LAYER", "stored-judged", 0,
                "ABOVE", 0.2, null, 60L, 0L, true));
        try {
            JsonNode after = storedAnswer("stored-judged");

            assertThat(after.path("layers").get(0).path("verdict").path("rule").asText()).isEqualTo("stored judged");
            assertThat(figures(after)).isEqualTo(fresh("stored-judged"));
        } finally {
            rules.delete(rule.id());
        }
    }

    /** The stored row marked as computed in 1999, so that an answer from it is told from a new computation. */
    private static final String MARKED = "1999-01-01T00:00:00Z";

    @Test
    void aSuiteStoredInAnotherFormatIsComputedAgain() throws Exception {
        runs.store("stored-format", "stored-run-format", 4, 2, StoredRuns.RUN_A);
        storedAnswer("stored-format");
        jdbc.update("UPDATE run_metric_suite SET format = 0, computed_at = ?::timestamptz WHERE run_id = ?", MARKED,
                "stored-format");

        JsonNode answer = metrics("stored-format", "");

        assertThat(answer.path("computed").path("at").asText()).isNotEqualTo(MARKED);
        assertThat(figures(answer)).isEqualTo(fresh("stored-format"));
    }

    @Test
    void aStoredSuiteThatCannotBeReadIsComputedAgain() throws Exception {
        runs.store("stored-garbled", "stored-run-garbled", 4, 2, StoredRuns.RUN_A);
        storedAnswer("stored-garbled");
        jdbc.update("UPDATE run_metric_suite SET suite = '\\x00', computed_at = ?::timestamptz WHERE run_id = ?",
                MARKED, "stored-garbled");

        JsonNode answer = metrics("stored-garbled", "");

        assertThat(answer.path("computed").path("at").asText()).isNotEqualTo(MARKED);
        assertThat(figures(answer)).isEqualTo(fresh("stored-garbled"));
    }

    private long stored(String runId) {
        return jdbc.queryForObject("SELECT count(*) FROM run_metric_suite WHERE run_id = ?", Long.class, runId);
    }
}
