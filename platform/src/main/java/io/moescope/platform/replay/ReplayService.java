package io.moescope.platform.replay;

import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import io.moescope.platform.tokens.AggregateOnlyRunException;
import io.moescope.platform.tokens.StoredTokens;
import io.moescope.platform.tokens.TokenTexts;
import io.moescope.storage.routing.RunTokenReader;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.delivery.RunDelivery;
import io.moescope.traces.delivery.RunOutcome;
import io.moescope.traces.replay.Replay;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

/**
 * Starts, reports and cancels replays of stored runs. Each replay runs on the task executor, reads the run's tokens
 * in routed order through a cursor and sends them to Kafka with {@link Replay}, so alert rules and dashboards see
 * them as live traffic.
 */
@Service
public class ReplayService {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);

    private final StoredTokens stored;
    private final RunCatalog runs;
    private final TaskExecutor executor;
    private final Clock clock;
    private final RunDelivery delivery;
    private final TokenTexts texts;
    private final Map<String, Running> replays = new ConcurrentHashMap<>();

    ReplayService(StoredTokens stored, RunCatalog runs, TaskExecutor executor, Clock clock, KafkaProperties kafka,
                  ProducerCompression compression, TokenTexts texts) {
        this.stored = stored;
        this.texts = texts;
        this.runs = runs;
        this.executor = executor;
        this.clock = clock;
        this.delivery = new RunDelivery(String.join(",", kafka.getBootstrapServers()), compression,
                DeliveryOptions.defaults(), clock, RunDelivery.REPLAY);
    }

    /**
     * @return empty when there is no such run
     * @throws AggregateOnlyRunException for a run of counts without tokens: a replay re-streams tokens
     */
    public Optional<ReplayStatus> start(String sourceRunId, double speed) {
        if (Double.isNaN(speed) || speed < 0) {
            throw new IllegalArgumentException("speed must be >= 0 (0 = as fast as possible), not " + speed);
        }
        Optional<StoredTokens.StoredRun> source = stored.find(sourceRunId);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        stored.requireTokens(sourceRunId, "a replay");
        long total = runs.find(sourceRunId).map(RunSummary::tokens).orElse(0L);
        var running = new Running(UUID.randomUUID().toString(), sourceRunId, speed, total);
        replays.put(running.replayId, running);
        texts.copy(sourceRunId, running.runId);
        executor.execute(() -> run(running, source.get()));
        return Optional.of(running.status());
    }

    public Optional<ReplayStatus> status(String replayId) {
        return Optional.ofNullable(replays.get(replayId)).map(Running::status);
    }

    /** Asks the replay to stop before its next token; the new run then ends FAILED with what was sent. */
    public Optional<ReplayStatus> cancel(String replayId) {
        Running running = replays.get(replayId);
        if (running == null) {
            return Optional.empty();
        }
        running.cancelled.set(true);
        return Optional.of(running.status());
    }

    /** FINISHED (or CANCELLED) only once Kafka acknowledged every record the replay sent. */
    private void run(Running running, StoredTokens.StoredRun source) {
        try {
            var copy = new Replay.Copy(source.name() + " (replay)", source.model(), source.requestsNotSeparable());
            RunOutcome<Replay.Result> outcome = delivery.deliver(sink ->
                    stored.withTokens(source.runId(), RunTokenReader.Order.ROUTED_AT, tokens ->
                            new Replay(clock, Replay.realTime()).run(running.runId, copy, tokens, running.speed, sink,
                                    running.cancelled::get, running.sent::set)));
            if (outcome instanceof RunOutcome.Delivered<Replay.Result> delivered) {
                running.state.set(delivered.result().cancelled() ? "CANCELLED" : "FINISHED");
            } else if (outcome instanceof RunOutcome.Undelivered<Replay.Result> undelivered) {
                log.warn("Replay {} of run {} failed: {}", running.replayId, source.runId(), undelivered.message());
                running.error.set(undelivered.message());
                running.state.set("FAILED");
            }
        } catch (RuntimeException e) {
            log.error("Replay {} of run {} failed", running.replayId, source.runId(), e);
            running.error.set(e.getMessage());
            running.state.set("FAILED");
        }
    }

    /** A replay's mutable progress, shared between its thread and the API. */
    private final class Running {
        final String replayId;
        final String sourceRunId;
        final double speed;
        final long total;
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<String> state = new AtomicReference<>("RUNNING");
        final String runId = UUID.randomUUID().toString();
        final AtomicReference<String> error = new AtomicReference<>();

        Running(String replayId, String sourceRunId, double speed, long total) {
            this.replayId = replayId;
            this.sourceRunId = sourceRunId;
            this.speed = speed;
            this.total = total;
        }

        ReplayStatus status() {
            return new ReplayStatus(replayId, sourceRunId, runId, speed, state.get(), sent.get(), total,
                    error.get());
        }
    }
}
