package io.moescope.traces.delivery;

import io.moescope.events.ExpertCounts;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RoutingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one run whose source is kept elsewhere (an imported trace file, a replayed stored run) through a
 * {@link KafkaRoutingSink} of its own, and calls it delivered only once the broker acknowledged every record, so that
 * nobody reports success for records still in memory. When delivery fails part way, the outcome says how many of the
 * run's tokens reached Kafka, and the run is marked FAILED with that count through a fresh producer (the first one
 * gave up), so that the platform does not show a half-delivered run as live or finished. Tokens that were on their
 * way when the broker went away are reported apart: the broker may have written them without its answer arriving.
 * The spool file is deleted either way: the run's source is the durable copy, and nothing would ever resend a spool.
 *
 * <p>Each delivery's producers send as {@code <prefix>-<n>}, n counting this instance's deliveries from 1 (one
 * instance per kind serves a whole {@code serve}): two at once under one client id would make Kafka warn "Error
 * registering AppInfo mbean", and the prefix still tells operators which kind of sender it is.
 */
public final class RunDelivery {

    /** Marking a run FAILED is one record: a broker that does not take it within this is still away. */
    static final Duration MARK_TIMEOUT = Duration.ofSeconds(10);

    /** The client id prefix of an imported trace file's producers: the broker's logs and JMX beans name them by it. */
    public static final String IMPORT = "moescope-import";
    /** The client id prefix of a replayed stored run's producers. */
    public static final String REPLAY = "moescope-replay";

    private static final Logger log = LoggerFactory.getLogger(RunDelivery.class);

    /** Sends one run into the sink it is given. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T sendInto(RoutingSink sink) throws E;
    }

    private final String bootstrapServers;
    private final ProducerCompression compression;
    private final DeliveryOptions options;
    private final Clock clock;
    private final String clientIdPrefix;
    private final AtomicLong deliveries = new AtomicLong();

    /**
     * @param compression the batch codec, chosen by {@link ProducerCompression#choose} for where the broker runs
     * @param options     their close timeout is how long the broker may take to acknowledge the last record
     * @param clientIdPrefix the producers' client id before the delivery's number, {@link #IMPORT} or
     *                    {@link #REPLAY}: not the probe's, since two producers of one id in one JVM make Kafka warn
     *                    that its app-info bean is registered already
     */
    public RunDelivery(String bootstrapServers, ProducerCompression compression, DeliveryOptions options,
                       Clock clock, String clientIdPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.compression = compression;
        this.options = options;
        this.clock = clock;
        this.clientIdPrefix = clientIdPrefix;
    }

    /**
     * Runs {@code work} into a new sink and waits for the broker's acknowledgement of everything it sent.
     *
     * @throws E what the work itself threw (a malformed file): the run was then sent as FAILED by the work
     */
    public <T, E extends Exception> RunOutcome<T> deliver(Work<T, E> work) throws E {
        Map<String, String> clientId = Map.of(ProducerConfig.CLIENT_ID_CONFIG,
                clientIdPrefix + "-" + deliveries.incrementAndGet());
        DeliveryOptions own = options.withSpoolFile(DeliveryOptions.freshSpoolFile());
        var sink = new KafkaRoutingSink(bootstrapServers, compression, clientId, own);
        var tracked = new TrackedRun(sink);
        T result = null;
        try {
            try (sink) {
                result = work.sendInto(tracked);
            }
        } catch (DeliveryException e) {
            deleteSpool(own.spoolFile());
            long delivered = sink.tokensAcknowledged();
            Optional<String> notMarked = tracked.started().flatMap(run -> markFailed(run, delivered, clientId));
            return new RunOutcome.Undelivered<>(Optional.ofNullable(result), tracked.started(), tracked.tokens(),
                    delivered, sink.tokensUnconfirmed(), e.reason(), notMarked);
        }
        return new RunOutcome.Delivered<>(result, tracked.tokens());
    }

    /**
     * @param clientId the delivery's own: its first producer is closed by now
     * @return why the FAILED event did not reach Kafka either, or empty when it did
     */
    private Optional<String> markFailed(RunLifecycle started, long delivered, Map<String, String> clientId) {
        var failed = new RunLifecycle(started.runId(), started.runName(), RunStatus.FAILED,
                ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant()), started.source(), started.model(), delivered,
                started.requestsNotSeparable());
        Duration timeout = options.closeTimeout().compareTo(MARK_TIMEOUT) < 0 ? options.closeTimeout() : MARK_TIMEOUT;
        DeliveryOptions own = options.withSpoolFile(DeliveryOptions.freshSpoolFile()).withCloseTimeout(timeout);
        try (var sink = new KafkaRoutingSink(bootstrapServers, compression, clientId, own)) {
            sink.runFinished(failed);
        } catch (DeliveryException e) {
            deleteSpool(own.spoolFile());
            log.warn("could not mark run {} FAILED: {}", started.runId(), e.reason());
            return Optional.of(e.reason());
        }
        return Optional.empty();
    }

    private static void deleteSpool(Path spool) {
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            log.warn("could not delete the spool file {}: {}", spool, e.getMessage());
        }
    }

    /** Remembers the run's STARTED event and counts the tokens handed on, for the outcome of a failed delivery. */
    private static final class TrackedRun implements RoutingSink {

        private final RoutingSink sink;
        private RunLifecycle started;
        private long tokens;

        TrackedRun(RoutingSink sink) {
            this.sink = sink;
        }

        Optional<RunLifecycle> started() {
            return Optional.ofNullable(started);
        }

        long tokens() {
            return tokens;
        }

        @Override
        public void runStarted(RunLifecycle run) {
            sink.runStarted(run);
            started = run;
        }

        @Override
        public void token(TokenRouting token) {
            sink.token(token);
            tokens++;
        }

        @Override
        public void expertCounts(ExpertCounts step) {
            sink.expertCounts(step);
            tokens += step.tokens();
        }

        @Override
        public void runFinished(RunLifecycle run) {
            sink.runFinished(run);
        }

        @Override
        public void close() {
            // the delivery closes the real sink once the work is done
        }
    }
}
