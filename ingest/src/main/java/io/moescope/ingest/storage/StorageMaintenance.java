package io.moescope.ingest.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.storage.routing.RoutingRequests;
import io.moescope.storage.routing.TimePartitions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the raw decisions' time partitions ahead of the clock and applies the retention setting, at start and then
 * every {@code interval}, through the migrations' functions: {@code moescope_create_partitions} for yesterday
 * through {@code daysAhead} days from now (UTC) and for the days that have rows in the default partition (V4: rows
 * that other writers stored for a day without a partition; creating the day's partition moves them into it), and
 * {@code moescope_apply_retention}, which drops the partitions of days that ended more than {@code retention} ago
 * (or, on TimescaleDB, sets the retention policy). Every ingest instance runs it; the functions serialise on an
 * advisory lock and are idempotent.
 *
 * <p>Ingest also creates a missing partition itself when a batch needs it (old traces, clock skew), so a late run of
 * this job never stops ingest.
 *
 * <p>Each round then measures the share of the request keys that requests hold, the gauge {@value #REQUEST_KEYS_USED}
 * (Prometheus {@code moescope_storage_request_keys_used_ratio}; NaN before the first round and while PostgreSQL has
 * not counted {@code routing_request} yet): at 1, a batch with a new request is refused until retention frees keys.
 */
public final class StorageMaintenance implements SmartLifecycle {

    public static final String REQUEST_KEYS_USED = "moescope.storage.request.keys.used";

    private static final Logger log = LoggerFactory.getLogger(StorageMaintenance.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration interval;
    private final int daysAhead;
    private final Duration retention;
    private final AtomicReference<Double> requestKeysUsed = new AtomicReference<>(Double.NaN);
    private volatile ScheduledExecutorService scheduler;

    /**
     * @param retention how long raw decisions are kept; zero or negative keeps them forever (rollups are always kept)
     */
    public StorageMaintenance(DataSource dataSource, Clock clock, Duration interval, int daysAhead,
                              Duration retention, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.interval = interval;
        this.daysAhead = daysAhead;
        this.retention = retention;
        Gauge.builder(REQUEST_KEYS_USED, requestKeysUsed, AtomicReference::get)
                .description("Share of routing_request's keys that requests hold (estimated by PostgreSQL); at 1 new"
                        + " requests are refused until retention frees keys")
                .baseUnit("ratio").register(registry);
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "moescope-storage-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** One round: partitions ahead and for the default partition's rows, then retention, then the keys held. */
    public Result run() throws SQLException {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate[] days = new LocalDate[daysAhead + 2];
        for (int i = 0; i < days.length; i++) {
            days[i] = today.plusDays(i - 1L);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            int created = TimePartitions.createAheadAndForDefault(connection, days);
            int dropped = TimePartitions.applyRetention(connection, retention);
            requestKeysUsed.set(RoutingRequests.keySpace(connection).used());
            return new Result(created, dropped);
        }
    }

    /** What one round did: partitions created and dropped. */
    public record Result(int created, int dropped) {
    }

    private void runQuietly() {
        try {
            Result result = run();
            if (result.created() > 0 || result.dropped() > 0) {
                log.info("Storage maintenance: {} partitions created, {} dropped (retention {})",
                        result.created(), result.dropped(), retention.isZero() ? "none" : retention);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Storage maintenance failed, will retry in {}: {}", interval, e.getMessage());
        }
    }
}
