package io.moescope.platform;

import static io.moescope.platform.SuiteAnswers.figures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.metrics.MetricSuiteService;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default suite of a live run, its pass extended from the one kept for the suites before: only the requests
 * after the committed ones are read, the figures are the same JSON as one pass over all the raw decisions, and a
 * token that breaks the premise (a late token of a committed request, a request stored after them with an earlier
 * request key) makes it pass over the whole run again. Requests are ordered by their arrival, not their ids. The
 * runs are {@link StoredRuns}' run A as requests q1, q2 of 2 tokens, routed on 2026-01-01 (long closed), made live.
 */
// Each answer must cover the run as of its request, with its own split of kept and read tokens: no background round
// beside the requests, no lag.
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.live-suites-interval=0s",
        "moescope.metrics.live-suite-lag=0s"})
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

    /** The suite computed from all the raw decisions now, in the API's JSON. */
    private String batch(String runId) throws Exception {
        return new SuiteAnswers(suites, json).fromRawDecisions(runId);
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
    void aRequestStoredAfterTheCommittedOnesWithAnEarlierKeyMakesItPassOverTheWholeRunAgain() throws Exception {
        // q0's key drawn before q1's, its tokens stored after the suite (two writers committing in the other order)
        jdbc.update("INSERT INTO routing_request (run_id, request_id, first_routed_at) VALUES (?, 'q0', ?)",
                "live-before", Timestamp.from(StoredRuns.T0));
        StoredRuns runs = liveRun("live-before");
        metrics("live-before");
        runs.addToken("live-before", "q0", 0, 10, 1, NEXT_TOKEN);
        JsonNode answer = metrics("live-before");

        assertThat(extension(answer)).isEqualTo("0 kept, 5 read");
        assertThat(figures(answer)).isEqualTo(batch("live-before"));
    }

    @Test
    void requestsNamedReq1ToReq12AreEachReadOnceThoughReq10SortsBeforeReq2() throws Exception {
        everyNewRequestIsReadOnce("live-probe", IntStream.rangeClosed(1, 12).mapToObj(i -> "req-" + i).toList());
    }

    @Test
    void requestsWithRandomUuidIdsAreEachReadOnce() throws Exception {
        var random = new Random(22);
        everyNewRequestIsReadOnce("live-tap", IntStream.range(0, 12)
                .mapToObj(i -> "tap-" + new UUID(random.nextLong(), random.nextLong())).toList());
    }

    /**
     * Adds the requests one at a time, a token each, to a live run whose suite was computed once: each suite keeps
     * every token before and reads the new request's alone, and is the batch's. {@code requestIds} are not in
     * arrival order when sorted, as an order by request id would need.
     */
    private void everyNewRequestIsReadOnce(String runId, List<String> requestIds) throws Exception {
        assertThat(requestIds.stream().sorted().toList()).isNotEqualTo(requestIds);
        StoredRuns runs = liveRun(runId);
        metrics(runId);
        var extensions = new ArrayList<String>();
        var expected = new ArrayList<String>();
        for (int i = 0; i < requestIds.size(); i++) {
            runs.addToken(runId, requestIds.get(i), 0, 10 + i, 1, NEXT_TOKEN);
            JsonNode answer = metrics(runId);
            extensions.add(extension(answer));
            expected.add((4 + i) + " kept, 1 read");
            assertThat(figures(answer)).as("after %s", requestIds.get(i)).isEqualTo(batch(runId));
        }
        assertThat(extensions).isEqualTo(expected);
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
