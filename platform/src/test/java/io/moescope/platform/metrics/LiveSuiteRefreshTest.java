package io.moescope.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.MutableClock;
import io.moescope.platform.StoredRuns;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.suites.StoredSuites;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default suite of a live run is brought up to the data stored since by the background
 * ({@link MetricSuiteService#refreshLiveSuites}) for the runs asked for lately, kept, and served while the run's data
 * is the same (or, with a lag, while the round is recent), so that a request finds it composed: the same figures as
 * a pass over all the raw decisions, without a read of the raw decisions on the request's path. The service is the
 * test's own, over the context's database, with a clock the test moves and the reads of each live run's tail counted
 * (and held back where a test says); the context's own background extension is off. The run is {@link StoredRuns}'
 * run A as requests q1, q2 of 2 tokens, routed on 2026-01-01, made live.
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.live-suites-interval=0s"})
class LiveSuiteRefreshTest extends EmbeddedPlatformTest {

    private static final int[][] NEXT_TOKEN = {{2, 3}, {0, 1}};

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private RolledUpLoads rollups;
    @Autowired
    private StoredSuites stored;
    @Autowired
    private RoutingReader reader;
    @Autowired
    private ExpertCountSteps countSteps;
    @Autowired
    private ObjectMapper json;

    private final MutableClock clock = new MutableClock();
    private CountedRows rows;
    private MetricSuiteService suites;
    private StoredRuns runs;

    @BeforeEach
    void service() {
        rows = new CountedRows(reader, countSteps);
        suites = new MetricSuiteService(rollups, rows, List::of, stored, clock);
        runs = new StoredRuns(jdbc);
    }

    private void liveRun(String runId) {
        runs.store(runId, runId, 4, 2, StoredRuns.RUN_A, 2);
        runs.running(runId);
    }

    private SuiteAnswer ask(String runId) {
        return suites.suite(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults()).orElseThrow();
    }

    private String batch(String runId) throws Exception {
        return json.writeValueAsString(suites.computed(TokenSet.wholeRun(runId, Optional.empty()),
                SuiteOptions.defaults()).orElseThrow());
    }

    @Test
    void theSuiteTheBackgroundComposedIsServedWithoutAReadWhileTheRunHoldsTheSameData() throws Exception {
        liveRun("refresh-same");
        ask("refresh-same");
        suites.refreshLiveSuites();
        int tailsBefore = rows.tails.get();
        SuiteAnswer first = ask("refresh-same");
        SuiteAnswer again = ask("refresh-same");

        assertThat(rows.tails.get()).isEqualTo(tailsBefore);
        assertThat(again.computed()).isEqualTo(first.computed());
        assertThat(json.writeValueAsString(again.suite())).isEqualTo(batch("refresh-same"));
    }

    @Test
    void aLiveRunsSuiteIsReadyOnceAPageHasAskedAndARoundHasComposedIt() throws Exception {
        liveRun("refresh-ready");

        assertThat(suites.ready("refresh-ready")).isEmpty();
        assertThat(suites.refreshLiveSuites()).isEqualTo(1);
        SuiteAnswer ready = suites.ready("refresh-ready").orElseThrow();

        assertThat(ready.computed().stored()).isFalse();
        assertThat(ready.computed().runTokens()).isEqualTo(4);
        assertThat(json.writeValueAsString(ready.suite())).isEqualTo(batch("refresh-ready"));
    }

    @Test
    void aRequestsOwnSuiteIsNotServedAgain() {
        liveRun("refresh-own");
        ask("refresh-own");
        ask("refresh-own");

        assertThat(rows.tails.get()).isEqualTo(2);
    }

    @Test
    void theBackgroundExtendsAWatchedRunByTheDataStoredSinceAndARequestFindsItsSuiteComposed() throws Exception {
        liveRun("refresh-next");
        ask("refresh-next");
        runs.addToken("refresh-next", "q3", 0, 10, 1, NEXT_TOKEN);

        int refreshed = suites.refreshLiveSuites();
        int tailsBefore = rows.tails.get();
        SuiteAnswer answer = ask("refresh-next");

        assertThat(refreshed).isEqualTo(1);
        assertThat(rows.tails.get()).isEqualTo(tailsBefore);
        assertThat(answer.computed().extended()).isEqualTo(new SuiteAnswer.Extension(4, 1, 0));
        assertThat(answer.computed().runTokens()).isEqualTo(5);
        assertThat(json.writeValueAsString(answer.suite())).isEqualTo(batch("refresh-next"));
    }

    @Test
    void theBackgroundLeavesARunWhoseDataIsTheSameSinceItsLatestRound() {
        liveRun("refresh-unchanged");
        ask("refresh-unchanged");
        suites.refreshLiveSuites();

        assertThat(suites.refreshLiveSuites()).isEqualTo(0);
        assertThat(rows.tails.get()).isEqualTo(2);
    }

    @Test
    void aRunNotAskedForWithinTheWatchedTimeIsNoLongerExtendedInTheBackground() {
        liveRun("refresh-unwatched");
        ask("refresh-unwatched");
        runs.addToken("refresh-unwatched", "q3", 0, 10, 1, NEXT_TOKEN);
        clock.setOffset(LiveRunSuites.WATCHED.plus(Duration.ofSeconds(1)));

        assertThat(suites.refreshLiveSuites()).isEqualTo(0);
        assertThat(rows.tails.get()).isEqualTo(1);
    }

    @Test
    void withALagARequestIsAnsweredByTheLatestSuiteBegunWithinItAndSaysHowManyTokensTheRunGotSince()
            throws Exception {
        liveRun("lag-recent");
        suites = new MetricSuiteService(rollups, rows, List::of, stored, clock, Duration.ofMinutes(1),
                Duration.ofSeconds(MetricSuiteService.DEFAULT_SETTLED_SECONDS));
        ask("lag-recent");
        suites.refreshLiveSuites();
        SuiteAnswer round = ask("lag-recent");
        String before = batch("lag-recent");
        runs.addToken("lag-recent", "q3", 0, 10, 1, NEXT_TOKEN);
        SuiteAnswer answer = ask("lag-recent");

        assertThat(rows.tails.get()).isEqualTo(2);
        assertThat(answer.computed().at()).isEqualTo(round.computed().at());
        assertThat(answer.computed().runTokens()).isEqualTo(4);
        assertThat(answer.computed().extended()).isEqualTo(new SuiteAnswer.Extension(4, 0, 1));
        assertThat(json.writeValueAsString(answer.suite())).isEqualTo(before);
    }

    @Test
    void withALagALatestSuiteBegunLongerAgoIsExtendedOnRequest() throws Exception {
        liveRun("lag-old");
        suites = new MetricSuiteService(rollups, rows, List::of, stored, clock, Duration.ofMinutes(1),
                Duration.ofSeconds(MetricSuiteService.DEFAULT_SETTLED_SECONDS));
        ask("lag-old");
        suites.refreshLiveSuites();
        runs.addToken("lag-old", "q3", 0, 10, 1, NEXT_TOKEN);
        clock.setOffset(Duration.ofMinutes(1).plusSeconds(1));
        SuiteAnswer answer = ask("lag-old");

        assertThat(answer.computed().extended()).isEqualTo(new SuiteAnswer.Extension(4, 1, 0));
        assertThat(json.writeValueAsString(answer.suite())).isEqualTo(batch("lag-old"));
    }

    @Test
    void aRequestForTheDataARoundIsComputingWaitsForTheRoundsSuite() throws Exception {
        liveRun("refresh-join");
        ask("refresh-join");
        runs.addToken("refresh-join", "q3", 0, 10, 1, NEXT_TOKEN);
        rows.held = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, ASKER));
        try {
            Future<Integer> round = threads.submit(suites::refreshLiveSuites);
            awaitTails(2);
            Future<SuiteAnswer> request = threads.submit(() -> ask("refresh-join"));
            awaitWaitingAsker();
            rows.held.countDown();

            assertThat(round.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(request.get(30, TimeUnit.SECONDS).computed().extended())
                    .isEqualTo(new SuiteAnswer.Extension(4, 1, 0));
            assertThat(rows.tails.get()).isEqualTo(2);
        } finally {
            rows.held.countDown();
            threads.shutdownNow();
        }
    }

    private static final String ASKER = "refresh-asker";

    private void awaitTails(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (rows.tails.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Until the request waits for a computation (not for the kept pass's lock, where it would extend it itself). */
    private static void awaitWaitingAsker() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().entrySet().stream()
                .noneMatch(t -> t.getKey().getName().equals(ASKER) && t.getKey().getState() == Thread.State.WAITING
                        && List.of(t.getValue()).stream().anyMatch(f -> f.getClassName().endsWith("SingleFlight")))) {
            Thread.sleep(10);
        }
    }

    /** The real rows, counting the reads of live runs' tails, and holding them back while {@code held} is set. */
    private static final class CountedRows extends RoutingRows {

        private final AtomicInteger tails = new AtomicInteger();
        private volatile CountDownLatch held = new CountDownLatch(0);

        CountedRows(RoutingReader reader, ExpertCountSteps countSteps) {
            super(reader, countSteps);
        }

        @Override
        public long forEachAfter(String runId, Optional<String> afterRequest, Consumer<TokenRouting> tokens) {
            tails.incrementAndGet();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return super.forEachAfter(runId, afterRequest, tokens);
        }
    }
}
