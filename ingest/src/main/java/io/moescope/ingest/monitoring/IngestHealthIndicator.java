package io.moescope.ingest.monitoring;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code ingest} component of {@code /actuator/health}. DOWN when
 * <ul>
 *   <li>the database does not hand out a working connection within {@code databaseTimeout};</li>
 *   <li>every batch has failed for longer than {@code failingFor} (the database refuses writes);</li>
 *   <li>the consumer lag grew over a whole window without ever going down ({@link LagHistory.Trend#FALLING_BEHIND}),
 *       or nothing was committed over a whole window although there was lag ({@link LagHistory.Trend#STALLED}).</li>
 * </ul>
 * Details: lag, stored tokens and decisions per second, the last stored batch.
 */
public final class IngestHealthIndicator implements HealthIndicator, DisposableBean {

    private final DataSource dataSource;
    private final IngestMetrics metrics;
    private final LagHistory lag;
    private final ConsumerLagMonitor lagMonitor;
    private final Clock clock;
    private final Duration databaseTimeout;
    private final Duration failingFor;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "moescope-ingest-health");
        thread.setDaemon(true);
        return thread;
    });
    private Future<?> pendingCheck;

    public IngestHealthIndicator(DataSource dataSource, IngestMetrics metrics, LagHistory lag,
                                 ConsumerLagMonitor lagMonitor, Clock clock, Duration databaseTimeout,
                                 Duration failingFor) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.lag = lag;
        this.lagMonitor = lagMonitor;
        this.clock = clock;
        this.databaseTimeout = databaseTimeout;
        this.failingFor = failingFor;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Health.Builder health = Health.up();
        String database = checkDatabase();
        health.withDetail("database", database);
        if (!database.equals("reachable")) {
            health.down();
        }
        Instant failing = metrics.failingSince();
        if (failing != null) {
            health.withDetail("failingSince", failing.toString()).withDetail("lastFailure", metrics.lastFailure());
            if (!now.isBefore(failing.plus(failingFor))) {
                health.down();
            }
        }
        LagHistory.Trend trend = lag.trend(now);
        LagHistory.Sample latest = lag.latest();
        health.withDetail("lag", latest == null ? "not measured yet" : latest.lag())
                .withDetail("lagTrend", trend.name().toLowerCase() + " (over " + lag.window() + ")");
        if (lagMonitor.lastError() != null) {
            health.withDetail("lagError", lagMonitor.lastError());
        }
        if (trend == LagHistory.Trend.FALLING_BEHIND || trend == LagHistory.Trend.STALLED) {
            health.down();
        }
        health.withDetail("tokensPerSecond", Math.round(metrics.tokensPerSecond()))
                .withDetail("decisionsPerSecond", Math.round(metrics.decisionsPerSecond()));
        if (metrics.lastStored() != null) {
            health.withDetail("lastStored", metrics.lastStored().toString());
        }
        return health.build();
    }

    /** "reachable", or why not. Runs on its own thread so that a pool waiting for a dead server cannot hang us. */
    private synchronized String checkDatabase() {
        if (pendingCheck != null && !pendingCheck.isDone()) {
            return "unreachable: the previous check has not returned";
        }
        Future<String> check = checker.submit(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid((int) Math.max(1, databaseTimeout.toSeconds())) ? "reachable"
                        : "unreachable: connection not valid";
            }
        });
        pendingCheck = check;
        try {
            return check.get(databaseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "unreachable: no connection within " + databaseTimeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "unreachable: " + cause.getMessage();
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
