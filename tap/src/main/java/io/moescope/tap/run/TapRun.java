package io.moescope.tap.run;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.traces.RoutingSink;
import io.moescope.traces.model.ModelConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live run a tap records: STARTED when the tap starts (the model's identity from its config, source
 * {@code tap:<engine>}), the tokens of every captured response, FINISHED when the tap stops. Every response is
 * counted by outcome: {@link #reportProgress} repeats STARTED with the counts so far, and the FINISHED event carries
 * the final ones ({@link RunLifecycle#responses()}). Recording and progress never fail the caller: once the sink
 * refuses (Kafka gone for good) nothing more is sent, which is logged once, and the responses from then on are counted
 * as not recorded. Thread-safe: handlers record concurrently.
 */
public final class TapRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TapRun.class);

    private final String runId = UUID.randomUUID().toString();
    private final String name;
    private final String source;
    private final ModelIdentity model;
    private final RoutingSink sink;
    private final Clock clock;
    private final TapMetrics metrics;
    private final OncePerKind failures = new OncePerKind(LOG);
    private final AtomicLong tokens = new AtomicLong();
    /** Set once the sink failed for good: nothing more is sent. */
    private final AtomicBoolean deliveryFailed = new AtomicBoolean();
    private final long startedMicros;

    /** Sends the run's STARTED event. */
    public TapRun(String name, Engine engine, ModelConfig config, RoutingSink sink, Clock clock) {
        this.name = name;
        this.source = "tap:" + engine.id();
        this.model = config.identity(config.moeLayers());
        this.sink = sink;
        this.clock = clock;
        this.metrics = new TapMetrics(engine);
        this.startedMicros = nowMicros();
        // no counts yet: zeros would read as a live tap that answered nothing
        sink.runStarted(lifecycle(RunStatus.STARTED, startedMicros, null));
    }

    /**
     * Repeats the STARTED event (its start time, the tokens sent so far) with the responses by outcome so far, so
     * that a live tap's run shows them; ingest keeps them only while the run has not ended.
     */
    public void reportProgress() {
        if (deliveryFailed.get()) {
            return;
        }
        try {
            sink.runStarted(lifecycle(RunStatus.STARTED, startedMicros, responses()));
        } catch (RuntimeException e) {
            deliveryFailed(e);
        }
    }

    public String runId() {
        return runId;
    }

    public TapMetrics metrics() {
        return metrics;
    }

    /** Now, in microseconds since the epoch: the time of the tokens of a response arriving now. */
    public long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    }

    /** Counts a response that carried nothing to record (streamed, no routing, an engine error). */
    public void count(Outcome outcome) {
        metrics.count(outcome);
    }

    /** Counts a response whose routing the tap left unread, saying why once per kind. */
    public void count(Outcome outcome, String why) {
        failures.warn("routing of a response not recorded", why);
        metrics.count(outcome);
    }

    /**
     * Counts a request the engine gave no answer to (unreachable, too slow, broke off: the client got the tap's 502 or
     * 504), saying why once per kind: these answers are the tap's own, no engine log has them.
     */
    public void noAnswer(String why) {
        failures.warn("the engine gave no answer", why);
        metrics.count(Outcome.UPSTREAM_ERROR);
    }

    /**
     * Decodes a captured response's routing, sends its tokens and counts it: captured, or decode failed when its
     * routing could not be decoded or a token of it was refused by ingest's rules (that token is left out); either is
     * logged once per kind. Not recorded once the sink failed for good.
     */
    public void record(Capture capture) {
        if (deliveryFailed.get()) {
            metrics.count(Outcome.NOT_RECORDED);
            return;
        }
        String failure;
        try {
            failure = capture.eachToken(runId, token -> {
                sink.token(token);
                tokens.incrementAndGet();
            });
        } catch (RuntimeException e) {
            deliveryFailed(e);
            metrics.count(Outcome.NOT_RECORDED);
            return;
        }
        if (failure != null) {
            failures.warn("routing of a response not recorded", failure);
        }
        metrics.count(failure == null ? capture.outcome() : Outcome.DECODE_FAILED);
    }

    /**
     * The sink failed for good (a Kafka failure that retrying cannot fix: it refuses every later send, each refusal
     * logged with its stack): nothing more is sent, and the tap goes on forwarding, never failing its clients for it.
     */
    private void deliveryFailed(RuntimeException e) {
        if (deliveryFailed.compareAndSet(false, true)) {
            LOG.error("{}; the tap goes on forwarding but records no more routing (responses are counted as {}): "
                    + "restart it to record again", e.getMessage(), Outcome.NOT_RECORDED.label());
        }
    }

    /**
     * Counts a captured response whose routing is not recorded because the recording is behind ({@link
     * RecordingQueue}) or the tap is stopping, as {@link Outcome#NOT_RECORDED}, saying why once per kind.
     */
    public void dropped(String why) {
        count(Outcome.NOT_RECORDED, why);
    }

    /** Tokens sent so far. */
    public long tokens() {
        return tokens.get();
    }

    /** Every outcome and how many responses had it so far, in {@link Outcome}'s order. */
    public Map<String, Long> responses() {
        var responses = new LinkedHashMap<String, Long>();
        for (Outcome outcome : Outcome.values()) {
            responses.put(outcome.label(), metrics.responses(outcome));
        }
        return responses;
    }

    /**
     * Sends FINISHED with the tokens sent and the responses by outcome, and closes the sink, which waits for Kafka to
     * take everything.
     */
    @Override
    public void close() {
        try (sink) {
            sink.runFinished(lifecycle(RunStatus.FINISHED, nowMicros(), responses()));
        }
    }

    /** The run's event with the tokens sent so far. */
    private RunLifecycle lifecycle(RunStatus status, long micros, Map<String, Long> responses) {
        return new RunLifecycle(runId, name, status, micros, source, model, tokens.get(), null, responses);
    }
}
