package io.moescope.ingest.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What ingest reports about its writes, in Micrometer (Prometheus names in brackets):
 * <ul>
 *   <li>{@value #TOKENS} [moescope_ingest_tokens_stored_total], {@value #DECISIONS}
 *       [moescope_ingest_decisions_stored_total]: rows and decisions (token x layer) newly stored;</li>
 *   <li>{@value #DUPLICATES}: redelivered tokens that were already stored and were skipped;</li>
 *   <li>{@value #TOKEN_RATE}, {@value #DECISION_RATE}: the same per second over the last {@value #RATE_SECONDS}
 *       seconds, for dashboards without PromQL ({@code rate()} of the counters is the better figure);</li>
 *   <li>{@value #BATCH_LATENCY} [moescope_ingest_batch_latency_seconds]: time to decode, validate and store one
 *       polled batch, as a histogram; {@value #BATCH_TOKENS}: tokens per batch.</li>
 * </ul>
 * Also remembers since when batches have been failing (database gone), for the health indicator. Thread-safe.
 */
public final class IngestMetrics {

    public static final String TOKENS = "moescope.ingest.tokens.stored";
    public static final String DECISIONS = "moescope.ingest.decisions.stored";
    public static final String DUPLICATES = "moescope.ingest.tokens.duplicates";
    public static final String TOKEN_RATE = "moescope.ingest.tokens.rate";
    public static final String DECISION_RATE = "moescope.ingest.decisions.rate";
    public static final String BATCH_LATENCY = "moescope.ingest.batch.latency";
    public static final String BATCH_TOKENS = "moescope.ingest.batch.tokens";
    static final int RATE_SECONDS = 10;

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter tokens;
    private final Counter decisions;
    private final Counter duplicates;
    private final Timer latency;
    private final DistributionSummary batchTokens;
    private final RateWindow tokenRate;
    private final RateWindow decisionRate;
    private final AtomicReference<Instant> lastStored = new AtomicReference<>();
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public IngestMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.tokens = Counter.builder(TOKENS).description("Token routings (rows) newly stored").baseUnit("tokens")
                .register(registry);
        this.decisions = Counter.builder(DECISIONS).description("Router decisions (token x MoE layer) newly stored")
                .baseUnit("decisions").register(registry);
        this.duplicates = Counter.builder(DUPLICATES)
                .description("Redelivered token routings skipped because they were already stored")
                .baseUnit("tokens").register(registry);
        this.latency = Timer.builder(BATCH_LATENCY).description("Time to decode, validate and store a polled batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        this.batchTokens = DistributionSummary.builder(BATCH_TOKENS).description("Token routings per stored batch")
                .baseUnit("tokens").register(registry);
        this.tokenRate = new RateWindow(clock, RATE_SECONDS);
        this.decisionRate = new RateWindow(clock, RATE_SECONDS);
        Gauge.builder(TOKEN_RATE, tokenRate, RateWindow::perSecond)
                .description("Token routings stored per second over the last " + RATE_SECONDS + " s")
                .baseUnit("tokens").register(registry);
        Gauge.builder(DECISION_RATE, decisionRate, RateWindow::perSecond)
                .description("Router decisions stored per second over the last " + RATE_SECONDS + " s")
                .baseUnit("decisions").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A batch was stored (committed). */
    public void batchStored(int received, int insertedTokens, long insertedDecisions, long nanos) {
        tokens.increment(insertedTokens);
        decisions.increment(insertedDecisions);
        duplicates.increment(received - insertedTokens);
        tokenRate.add(insertedTokens);
        decisionRate.add(insertedDecisions);
        latency.record(nanos, TimeUnit.NANOSECONDS);
        batchTokens.record(received);
        lastStored.set(clock.instant());
        failingSince.set(null);
        lastFailure.set(null);
    }

    /** A whole batch failed for a reason other than a bad record (the database, usually); it will be retried. */
    public void batchFailed(String reason) {
        failingSince.compareAndSet(null, clock.instant());
        lastFailure.set(reason);
    }

    /** Since when every delivery has failed, or null when the last one succeeded. */
    public Instant failingSince() {
        return failingSince.get();
    }

    public String lastFailure() {
        return lastFailure.get();
    }

    public Instant lastStored() {
        return lastStored.get();
    }

    public double tokensPerSecond() {
        return tokenRate.perSecond();
    }

    public double decisionsPerSecond() {
        return decisionRate.perSecond();
    }
}
