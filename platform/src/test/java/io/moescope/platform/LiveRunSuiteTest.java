package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.TokenSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default suite of a live run, its pass extended from the one kept for the suites before: only the requests
 * after the committed ones are read, the figures are the same JSON as one pass over all the raw decisions, and a
 * token that breaks the premise (a late token of a committed request, a new request ordered before them) makes it
 * pass over the whole run again. The runs are {@link StoredRuns}' run A as requests q1, q2 of 2 tokens, routed on
 * 2026-01-01 (long closed), made live.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class LiveRunSuiteTest extends EmbeddedPlatformTest {

    private static final int[][] NEXT_TOKEN = {{2, 3}, {0, 1}};

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MetricSuiteService suites;
    @Autowired
    private ObjectMapper json;

    private StoredRuns liveRun(String runId) {
        var runs = new StoredRuns(jdbc);
        runs.store(runId, runId, 4, 2, StoredRuns.RUN_A, 2);
        runs.running(runId);
        return runs;
    }

    private JsonNode metrics(String runId) {
        return http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class);
    }

    /** The answer without its {@code computed} field, as JSON text. */
    private static String figures(JsonNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.remove("computed");
        return copy.toString();
    }

    /** The suite computed from all the raw decisions now, in the API's JSON. */
    private String batch(String runId) throws Exception {
        return json.readTree(json.writeValueAsString(suites.computed(TokenSet.wholeRun(runId, Optional.empty()),
                SuiteOptions.defaults()).orElseThrow())).toString();
    }

    private static String extension(JsonNode answer) {
        JsonNode extended = answer.path("computed").path("extended");
        return extended.path("keptTokens").asLong() + " kept, " + extended.path("readTokens").asLong() + " read";
    }

    @Test
    void theFirstSuiteOfALiveRunReadsItWholeAndTheNextOnlyTheRequestsAddedSince() throws Exception {
        StoredRuns runs = liveRun("live-next");
        JsonNode first = metrics("live-next");
        runs.addToken("live-next", "q3", 0, 10, 1, NEXT_TOKEN);
        JsonNode next = metrics("live-next");

        assertThat(extension(first)).isEqualTo("0 kept, 4 read");
        assertThat(extension(next)).isEqualTo("4 kept, 1 read");
        assertThat(next.path("computed").path("stored").asBoolean()).isFalse();
        assertThat(next.path("tokens").asLong()).isEqualTo(5);
        assertThat(figures(next)).isEqualTo(batch("live-next"));
    }

    @Test
    void aLateTokenOfACommittedRequestMakesItPassOverTheWholeRunAgain() throws Exception {
        StoredRuns runs = liveRun("live-late");
        metrics("live-late");
        runs.addToken("live-late", "q1", 2, 10, 1, NEXT_TOKEN);
        JsonNode answer = metrics("live-late");

        assertThat(extension(answer)).isEqualTo("0 kept, 5 read");
        assertThat(figures(answer)).isEqualTo(batch("live-late"));
    }

    @Test
    void aNewRequestOrderedBeforeTheCommittedOnesMakesItPassOverTheWholeRunAgain() throws Exception {
        StoredRuns runs = liveRun("live-before");
        metrics("live-before");
        runs.addToken("live-before", "q0", 0, 10, 1, NEXT_TOKEN);
        JsonNode answer = metrics("live-before");

        assertThat(extension(answer)).isEqualTo("0 kept, 5 read");
        assertThat(figures(answer)).isEqualTo(batch("live-before"));
    }

    @Test
    void aRequestStillStreamingIsReadAgainByEverySuiteUntilItHasBeenQuietForAMinute() throws Exception {
        StoredRuns runs = liveRun("live-open");
        int now = (int) Duration.between(StoredRuns.T0, Instant.now()).getSeconds();
        runs.addToken("live-open", "q3", 0, now, 1, NEXT_TOKEN);
        metrics("live-open");
        JsonNode again = metrics("live-open");

        assertThat(extension(again)).isEqualTo("4 kept, 1 read");
        assertThat(figures(again)).isEqualTo(batch("live-open"));
    }

    @Test
    void anEndedRunIsNoLongerExtendedButStored() {
        StoredRuns runs = liveRun("live-ended");
        metrics("live-ended");
        jdbc.update("UPDATE run SET status = 'FINISHED', finished_at = now() WHERE run_id = 'live-ended'");
        metrics("live-ended");
        JsonNode answer = metrics("live-ended");

        assertThat(answer.path("computed").path("stored").asBoolean()).isTrue();
        assertThat(answer.path("computed").path("extended").path("keptTokens").isMissingNode()).isTrue();
    }
}
