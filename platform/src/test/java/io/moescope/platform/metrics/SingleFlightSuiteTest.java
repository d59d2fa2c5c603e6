package io.moescope.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.events.ExpertCounts;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.StoredRuns;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.suites.StoredSuites;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default suite of a run is computed once at a time: callers asking for the same run over the same data while its
 * pass over the raw decisions runs wait for that pass's answer or failure. The pass is held back by the rows it reads
 * (real ones, counted per run and released by the test). The runs are still arriving, so that the background check
 * of this context (the same as {@code StoredMetricSuiteTest}'s) never computes and stores them meanwhile.
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.stored-suites-interval=200ms"})
class SingleFlightSuiteTest extends EmbeddedPlatformTest {

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

    private static final String CALLER = "suite-caller";

    private final ExecutorService callers = Executors.newFixedThreadPool(2, r -> new Thread(r, CALLER));
    private HeldRows rows;
    private MetricSuiteService suites;

    @BeforeEach
    void liveRuns() {
        var runs = new StoredRuns(jdbc);
        for (String run : new String[] {"flight-a", "flight-b", "flight-failing"}) {
            runs.store(run, "run " + run, 4, 2, StoredRuns.RUN_A);
            runs.running(run);
        }
        rows = new HeldRows(reader, countSteps);
        suites = new MetricSuiteService(rollups, rows, List::of, stored, Clock.systemUTC());
    }

    @AfterEach
    void stopCallers() {
        rows.release.countDown();
        callers.shutdownNow();
    }

    private Future<SuiteAnswer> ask(String runId) {
        return callers.submit(() -> suites.suite(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults())
                .orElseThrow());
    }

    @Test
    void twoCallersForTheSameRunShareOnePassAndItsAnswer() throws Exception {
        Future<SuiteAnswer> first = ask("flight-a");
        rows.awaitPasses(1);
        Future<SuiteAnswer> second = ask("flight-a");
        awaitParked();

        rows.release.countDown();

        assertThat(second.get(30, TimeUnit.SECONDS)).isSameAs(first.get(30, TimeUnit.SECONDS));
        assertThat(rows.passes("flight-a")).isEqualTo(1);
    }

    @Test
    void differentRunsAreComputedSideBySide() throws Exception {
        Future<SuiteAnswer> a = ask("flight-a");
        Future<SuiteAnswer> b = ask("flight-b");

        rows.awaitPasses(2);
        rows.release.countDown();

        assertThat(a.get(30, TimeUnit.SECONDS).suite().runId()).isEqualTo("flight-a");
        assertThat(b.get(30, TimeUnit.SECONDS).suite().runId()).isEqualTo("flight-b");
        assertThat(rows.passes("flight-a")).isEqualTo(1);
        assertThat(rows.passes("flight-b")).isEqualTo(1);
    }

    @Test
    void aFailedPassIsSeenByItsWaitersAndTheNextCallComputesAgain() throws Exception {
        rows.failing = "flight-failing";
        Future<SuiteAnswer> first = ask("flight-failing");
        rows.awaitPasses(1);
        Future<SuiteAnswer> second = ask("flight-failing");
        awaitParked();

        rows.release.countDown();

        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("database went away");
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("database went away");
        assertThat(rows.passes("flight-failing")).isEqualTo(1);
        rows.failing = null;
        assertThat(ask("flight-failing").get(30, TimeUnit.SECONDS).suite().tokens()).isEqualTo(4);
        assertThat(rows.passes("flight-failing")).isEqualTo(2);
    }

    /** Until both callers wait: the first in its held pass, the second for it (or, wrongly, in a pass of its own). */
    private void awaitParked() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (parked() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private long parked() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(CALLER) && t.getState() == Thread.State.WAITING)
                .filter(t -> List.of(t.getStackTrace()).stream().anyMatch(f -> f.getClassName().startsWith(
                        "io.moescope.platform.metrics.")))
                .count();
    }

    /** The real rows, counting the passes of each run and holding every pass back until released. */
    private static final class HeldRows extends RoutingRows {

        final CountDownLatch release = new CountDownLatch(1);
        volatile String failing;
        private final Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();
        private final AtomicInteger started = new AtomicInteger();

        HeldRows(RoutingReader reader, ExpertCountSteps countSteps) {
            super(reader, countSteps);
        }

        @Override
        public void forEach(TokenSet set, Consumer<TokenRouting> tokens, Consumer<ExpertCounts> steps) {
            hold(set.runId());
            super.forEach(set, tokens, steps);
        }

        /** A live run's pass, extended by the requests after its committed ones. */
        @Override
        public long forEachAfter(String runId, Optional<String> afterRequest, Consumer<TokenRouting> tokens) {
            hold(runId);
            return super.forEachAfter(runId, afterRequest, tokens);
        }

        private void hold(String runId) {
            passes.computeIfAbsent(runId, run -> new AtomicInteger()).incrementAndGet();
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (runId.equals(failing)) {
                throw new IllegalStateException("database went away");
            }
        }

        int passes(String runId) {
            return passes.getOrDefault(runId, new AtomicInteger()).get();
        }

        void awaitPasses(int n) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (started.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }
}
