package io.moescope.probe.bench;

import io.moescope.events.EventCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.kafka.KafkaRoutingSink;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.RoutingSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture overhead on one model and prompt set: runs alternate between capture off (a sink that drops every event)
 * and capture on (a {@link KafkaRoutingSink}), so that both see the same machine load; then the producer alone is
 * given synthetic events of the model's shape to measure what it sustains and what a decision costs on the wire.
 */
public final class CaptureBench {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureBench.class);

    private final Supplier<KafkaRoutingSink> sinks;

    /** {@code sinks} opens a fresh Kafka sink; each is closed (and so fully acknowledged) after its run. */
    public CaptureBench(Supplier<KafkaRoutingSink> sinks) {
        this.sinks = sinks;
    }

    /**
     * One warm-up pair (JIT, engine caches; not counted), then {@code rounds} runs with capture off and as many with
     * it on, alternating; then {@code producerEvents} synthetic events through the producer alone.
     */
    public BenchReport run(ProbeRequest request, int rounds, int producerEvents) {
        var off = new ArrayList<DecodeTimer>();
        var on = new ArrayList<DecodeTimer>();
        var pairOverheads = new ArrayList<Double>();
        var captureShares = new ArrayList<Double>();
        long captureNanos = 0;
        long capturedTokens = 0;
        ModelIdentity[] model = new ModelIdentity[1];
        for (int round = 0; round <= rounds; round++) {
            var timerOff = new DecodeTimer();
            new ProbeRunner(Clock.systemUTC()).run(request, DROP, new ModelListener(timerOff, model));
            var timerOn = new DecodeTimer();
            var timed = new TimedSink(sinks.get());
            try (timed) {
                new ProbeRunner(Clock.systemUTC()).run(request, timed, timerOn);
            }
            double share = (timed.nanos() / 1e9 / timed.tokens()) / (timerOff.seconds() / timerOff.tokens());
            LOG.info("round {}{}: decode {} tok/s off, {} tok/s on, capture {}% of a decode step", round,
                    round == 0 ? " (warm-up)" : "", String.format("%.1f", timerOff.tokensPerSecond()),
                    String.format("%.1f", timerOn.tokensPerSecond()), String.format("%.2f", 100 * share));
            if (round > 0) {
                off.add(timerOff);
                on.add(timerOn);
                pairOverheads.add(1 - timerOn.tokensPerSecond() / timerOff.tokensPerSecond());
                captureShares.add(share);
                captureNanos += timed.nanos();
                capturedTokens += timed.tokens();
            }
        }
        return new BenchReport(off.stream().mapToLong(DecodeTimer::tokens).sum(),
                off.stream().mapToDouble(DecodeTimer::seconds).sum(),
                on.stream().mapToLong(DecodeTimer::tokens).sum(), on.stream().mapToDouble(DecodeTimer::seconds).sum(),
                pairOverheads, captureShares, captureNanos / 1e9, capturedTokens,
                producerAlone(synthetic(model[0], producerEvents), model[0].moeLayers().size()));
    }

    /** Encodes and sends {@code events} as fast as the sink takes them and waits for every acknowledgement. */
    private ProducerReport producerAlone(List<TokenRouting> events, int decisionsPerEvent) {
        var codec = new EventCodec();
        long encoded = events.stream().mapToLong(e -> codec.encode(e).length).sum();
        try (KafkaRoutingSink sink = sinks.get()) {
            var cpu = new ClientCpu();
            long started = System.nanoTime();
            for (TokenRouting event : events) {
                sink.token(event);
            }
            awaitAcknowledged(sink);
            double seconds = (System.nanoTime() - started) / 1e9;
            // Read before close: a closed producer drops its metrics and its threads.
            return new ProducerReport(events.size(), seconds, cpu.secondsSinceStart(), decisionsPerEvent, encoded,
                    sink.bytesOnTheWire());
        }
    }

    private static void awaitAcknowledged(KafkaRoutingSink sink) {
        while (sink.stats().pending() > 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
    }

    /**
     * Events shaped like the model's (its MoE layers, k random distinct experts, weights summing to 1), in
     * requests of 256 tokens, so keys spread over partitions as a real run's do.
     */
    static List<TokenRouting> synthetic(ModelIdentity model, int count) {
        var random = new Random(42);
        var events = new ArrayList<TokenRouting>(count);
        int k = model.topK();
        for (int i = 0; i < count; i++) {
            var decisions = new ArrayList<RouterDecision>(model.moeLayers().size());
            for (int layer : model.moeLayers()) {
                int[] ids = random.ints(0, model.numExperts()).distinct().limit(k).toArray();
                float[] weights = new float[k];
                for (int r = 0; r < k; r++) {
                    weights[r] = 1f / k;
                }
                decisions.add(new RouterDecision(layer, ids, weights, (float) random.nextDouble()));
            }
            events.add(new TokenRouting("bench", "req-" + i / 256, i % 256, random.nextInt(32000),
                    Phase.DECODE, System.currentTimeMillis() * 1000, decisions));
        }
        return events;
    }

    private static final RoutingSink DROP = new RoutingSink() {
        @Override
        public void runStarted(RunLifecycle run) {
        }

        @Override
        public void token(TokenRouting token) {
        }

        @Override
        public void runFinished(RunLifecycle run) {
        }

        @Override
        public void close() {
        }
    };

    /** Passes tokens to the timer and remembers the model identity. */
    private record ModelListener(DecodeTimer timer, ModelIdentity[] model) implements ProbeListener {

        @Override
        public void modelLoaded(ModelIdentity identity) {
            model[0] = identity;
        }

        @Override
        public void tokenRouted(TokenRouting token) {
            timer.tokenRouted(token);
        }
    }
}
