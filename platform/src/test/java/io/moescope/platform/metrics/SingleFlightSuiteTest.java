package io.moescope.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.StoredRuns;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default suite of a run is computed once at a time: callers asking for the same run over the same data while its
 * pass over the raw decisions runs wait for that pass's answer or failure. The pass is held back by the rows it reads
 * (real ones, {@link WatchedRows}: counted per run and released by the test). The runs are still arriving, so that
 * the background check of this context (the same as {@code StoredMetricSuiteTest}'s) never computes and stores them
 * meanwhile.
 */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.metrics.stored-suites-interval=200ms"})
class SingleFlightSuiteTest extends EmbeddedPlatformTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private ApplicationContext context;

    private static final String CALLER = "suite-caller";

    private final ExecutorService callers = Executors.newFixedThreadPool(2, r -> new Thread(r, CALLER));
    private WatchedRows rows;
    private MetricSuiteService suites;

    @BeforeEach
    void liveRuns() {
        var runs = new StoredRuns(jdbc);
        for (String run : new String[] {"flight-a", "flight-b", "flight-failing"}) {
            runs.store(run, "run " + run, 4, 2, StoredRuns.RUN_A);
            runs.running(run);
        }
        rows = new WatchedRows(context);
        rows.hold();
        suites = rows.suites(Clock.systemUTC(), Duration.ZERO);
    }

    @AfterEach
    void stopCallers() {
        rows.release();
        callers.shutdownNow();
    }

    private Future<SuiteAnswer> ask(String runId) {
        return callers.submit(() -> suites.suite(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults())
                .orElseThrow());
    }

    @Test
    void twoCallersForTheSameRunShareOnePassAndItsAnswer() throws Exception {
        Future<SuiteAnswer> first = ask("flight-a");
        rows.awaitReads(1);
        Future<SuiteAnswer> second = ask("flight-a");
        awaitParked();

        rows.release();

        assertThat(second.get(30, TimeUnit.SECONDS)).isSameAs(first.get(30, TimeUnit.SECONDS));
        assertThat(rows.reads("flight-a")).isEqualTo(1);
    }

    @Test
    void differentRunsAreComputedSideBySide() throws Exception {
        Future<SuiteAnswer> a = ask("flight-a");
        Future<SuiteAnswer> b = ask("flight-b");

        rows.awaitReads(2);
        rows.release();

        assertThat(a.get(30, TimeUnit.SECONDS).suite().runId()).isEqualTo("flight-a");
        assertThat(b.get(30, TimeUnit.SECONDS).suite().runId()).isEqualTo("flight-b");
        assertThat(rows.reads("flight-a")).isEqualTo(1);
        assertThat(rows.reads("flight-b")).isEqualTo(1);
    }

    @Test
    void aFailedPassIsSeenByItsWaitersAndTheNextCallComputesAgain() throws Exception {
        rows.fail("flight-failing");
        Future<SuiteAnswer> first = ask("flight-failing");
        rows.awaitReads(1);
        Future<SuiteAnswer> second = ask("flight-failing");
        awaitParked();

        rows.release();

        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("database went away");
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("database went away");
        assertThat(rows.reads("flight-failing")).isEqualTo(1);
        rows.recover();
        assertThat(ask("flight-failing").get(30, TimeUnit.SECONDS).suite().tokens()).isEqualTo(4);
        assertThat(rows.reads("flight-failing")).isEqualTo(2);
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
}
