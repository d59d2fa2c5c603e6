package io.moescope.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.MutableClock;
import io.moescope.platform.StoredRuns;
import io.moescope.storage.suites.StoredSuites;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A live run's requests quiet for {@code moescope.metrics.live-suite-settled} (10 s) after its committed ones are
 * not read again while a later request streams, a token of one of them after all makes the suite read from the
 * committed requests, and the committed requests move up to the settled ones a minute after those were kept: each
 * suite the batch's over the same tokens. The run is {@link StoredRuns}' run A as requests q1, q2 of 2 tokens, routed
 * at T0 + 0..3 s, made live; the requests after them get tokens at T0 + the second each test names, and the clock
 * reads T0 + the second each request is asked at. The service is the test's own; the context's background is off.
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.live-suites-interval=0s"})
class LiveRunSettledRequestsTest extends EmbeddedPlatformTest {

    private static final int[][] NEXT_TOKEN = {{2, 3}, {0, 1}};

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private RolledUpLoads rollups;
    @Autowired
    private RoutingRows rows;
    @Autowired
    private StoredSuites stored;
    @Autowired
    private ObjectMapper json;

    private final MutableClock clock = new MutableClock();
    private MetricSuiteService suites;
    private StoredRuns runs;

    @BeforeEach
    void service() {
        suites = new MetricSuiteService(rollups, rows, List::of, stored, clock);
        runs = new StoredRuns(jdbc);
    }

    /** Run A live, then q3 quiet since T0 + 100 s and q4 streaming, the first suite asked at T0 + 140 s. */
    private SuiteAnswer settledBeforeAStreamingRequest(String runId) {
        runs.store(runId, runId, 4, 2, StoredRuns.RUN_A, 2);
        runs.running(runId);
        runs.addToken(runId, "q3", 0, 100, 1, NEXT_TOKEN);
        runs.addToken(runId, "q4", 0, 135, 1, NEXT_TOKEN);
        return askAt(runId, 140);
    }

    private SuiteAnswer askAt(String runId, int second) {
        clock.set(StoredRuns.T0.plusSeconds(second));
        return suites.suite(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults()).orElseThrow();
    }

    private String batch(String runId) throws Exception {
        return json.writeValueAsString(suites.computed(TokenSet.wholeRun(runId, Optional.empty()),
                SuiteOptions.defaults()).orElseThrow());
    }

    @Test
    void aSettledRequestIsNotReadAgainWhileALaterOneStreams() throws Exception {
        SuiteAnswer first = settledBeforeAStreamingRequest("settled-next");
        runs.addToken("settled-next", "q4", 1, 141, 1, NEXT_TOKEN);
        SuiteAnswer next = askAt("settled-next", 142);

        assertThat(first.computed().extended()).isEqualTo(new SuiteAnswer.Extension(0, 6, 0));
        assertThat(next.computed().extended()).isEqualTo(new SuiteAnswer.Extension(5, 2, 0));
        assertThat(json.writeValueAsString(next.suite())).isEqualTo(batch("settled-next"));
    }

    @Test
    void aTokenOfASettledRequestMakesTheSuiteReadFromTheCommittedRequests() throws Exception {
        settledBeforeAStreamingRequest("settled-late");
        runs.addToken("settled-late", "q3", 1, 141, 1, NEXT_TOKEN);
        SuiteAnswer next = askAt("settled-late", 142);

        assertThat(next.computed().extended()).isEqualTo(new SuiteAnswer.Extension(4, 3, 0));
        assertThat(json.writeValueAsString(next.suite())).isEqualTo(batch("settled-late"));
    }

    @Test
    void theCommittedRequestsMoveUpToTheSettledOnesAMinuteAfterTheyWereKept() throws Exception {
        settledBeforeAStreamingRequest("settled-moved");
        runs.addToken("settled-moved", "q4", 1, 141, 1, NEXT_TOKEN);
        runs.addToken("settled-moved", "q5", 0, 200, 1, NEXT_TOKEN);
        SuiteAnswer settled = askAt("settled-moved", 201);
        runs.addToken("settled-moved", "q4", 2, 202, 1, NEXT_TOKEN);
        SuiteAnswer afterALateToken = askAt("settled-moved", 203);

        assertThat(settled.computed().extended()).isEqualTo(new SuiteAnswer.Extension(5, 3, 0));
        // read from q3's end, the committed requests' since T0 + 201 s (from q2's before: 4 kept, 5 read)
        assertThat(afterALateToken.computed().extended()).isEqualTo(new SuiteAnswer.Extension(5, 4, 0));
        assertThat(json.writeValueAsString(afterALateToken.suite())).isEqualTo(batch("settled-moved"));
    }

    @Test
    void aSettledTimeOfAMinuteOrMoreIsRefusedByName() {
        assertThatThrownBy(() -> new MetricSuiteService(rollups, rows, List::of, stored, Clock.systemUTC(),
                Duration.ZERO, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("moescope.metrics.live-suite-settled");
    }
}
