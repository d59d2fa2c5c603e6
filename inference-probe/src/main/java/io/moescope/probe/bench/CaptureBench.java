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
import java.util.Arrays;
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
            LOG.info("round {}{}: decode {} tok/s off, {} tok/s on", round, round == 0 ? " (warm-up)" : "",
                    String.format("%.1f", timerOff.tokens() / timerOff.seconds()),
                    String.format("%.1f", timerOn.tokens() / timerOn.seconds()));
            if (round > 0) {
                off.add(timerOff);
                on.add(timerOn);
                captureNanos += timed.nanos();
                capturedTokens += timed.tokens();
            }
        }
        double[] pairOverheads = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            pairOverheads[i] = 1 - (on.get(i).tokens() / on.get(i).seconds())
                    / (off.get(i).tokens() / off.get(i).seconds());
        }
        List<TokenRouting> events = synthetic(model[0], producerEvents);
        var codec = new EventCodec();
        long encoded = events.stream().mapToLong(e -> codec.encode(e).length).sum();
        long started = System.nanoTime();
        long wire;
        double producerSeconds;
        try (KafkaRoutingSink sink = sinks.get()) {
            for (TokenRouting event : events) {
                sink.token(event);
            }
            awaitAcknowledged(sink);
            producerSeconds = (System.nanoTime() - started) / 1e9;
            // Read before close: a closed producer drops its metrics.
            wire = sink.bytesOnTheWire();
        }
        return new BenchReport(off.stream().mapToLong(DecodeTimer::tokens).sum(),
                off.stream().mapToDouble(DecodeTimer::seconds).sum(),
                on.stream().mapToLong(DecodeTimer::tokens).sum(), on.stream().mapToDouble(DecodeTimer::seconds).sum(),
                median(pairOverheads), captureNanos / 1e9, capturedTokens, producerEvents, producerSeconds, model[0].moeLayers().size(), encoded, wire);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
