package io.moescope.platform.metrics;

import io.moescope.events.ExpertCounts;
import io.moescope.events.TokenRouting;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.suites.StoredSuites;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.context.ApplicationContext;

/**
 * The rows of raw decisions for a test's own {@link MetricSuiteService} ({@link #suites}): the context's database,
 * with each read of a run's decisions (a pass over a token set, or the requests of a live run after its committed
 * ones: a tail) counted, held back while the test holds reads, and failing for the run the test names.
 *
 * <p>A plain object built from the context's beans, not a {@code @TestConfiguration}: importing one would make the
 * test's context another than the one its property set already shares (the context cache's key).
 */
final class WatchedRows extends RoutingRows {

    private final RolledUpLoads rollups;
    private final StoredSuites stored;
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final AtomicInteger begun = new AtomicInteger();
    private final AtomicInteger tails = new AtomicInteger();
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile String failing;

    WatchedRows(ApplicationContext context) {
        super(context.getBean(RoutingReader.class), context.getBean(ExpertCountSteps.class));
        rollups = context.getBean(RolledUpLoads.class);
        stored = context.getBean(StoredSuites.class);
    }

    /** A service of the test's own over these rows and the context's rollups and stored suites, without alert rules. */
    MetricSuiteService suites(Clock clock, Duration liveSuiteLag) {
        return new MetricSuiteService(rollups, this, List::of, stored, clock, liveSuiteLag,
                Duration.ofSeconds(MetricSuiteService.DEFAULT_SETTLED_SECONDS));
    }

    @Override
    public void forEach(TokenSet set, Consumer<TokenRouting> tokens, Consumer<ExpertCounts> steps) {
        read(set.runId());
        super.forEach(set, tokens, steps);
    }

    @Override
    public long forEachAfter(String runId, Optional<String> afterRequest, Consumer<TokenRouting> tokens) {
        tails.incrementAndGet();
        read(runId);
        return super.forEachAfter(runId, afterRequest, tokens);
    }

    /** Every read from now on waits until {@link #release}. */
    void hold() {
        held = new CountDownLatch(1);
    }

    void release() {
        held.countDown();
    }

    /** The reads of this run fail once released, as if the database went away. */
    void fail(String runId) {
        failing = runId;
    }

    /** No read fails any more. */
    void recover() {
        failing = null;
    }

    /** The reads of this run begun: passes and tails. */
    int reads(String runId) {
        return reads.getOrDefault(runId, new AtomicInteger()).get();
    }

    /** The reads of live runs' tails begun, of every run. */
    int tails() {
        return tails.get();
    }

    /** Until {@code n} reads of any run have begun (at most 30 s). */
    void awaitReads(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (begun.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void read(String runId) {
        reads.computeIfAbsent(runId, run -> new AtomicInteger()).incrementAndGet();
        begun.incrementAndGet();
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (runId.equals(failing)) {
            throw new IllegalStateException("database went away");
        }
    }
}
