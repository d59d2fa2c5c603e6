package io.moescope.benchmarks.capture;

import io.moescope.events.EventCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture overhead on one model and prompt set, measured end to end at the finest grain: in each round every other
 * decode step of every request is captured ({@link ProbeRunner.Session#runAlternatingCapture}), and the next round
 * swaps which, so every position is measured both ways. Each captured step is compared with its uncaptured
 * neighbour, which ran on the same machine state (load, caches, memory, sequence length give or take one token);
 * comparing whole rounds with capture off and on could not tell capture from what changed between rounds (capture
 * on came out consistently 9 % faster on a quiet machine). What the delivery threads spend is measured on their own
 * CPU clocks, with every step captured ({@link DeliveryLoad}), and added. Then one whole round off and one on
 * give prefill and decode speed and peak resident memory each ({@link Throughput}). Optionally, the old round-level
 * comparison (whole rounds off and on, ABBA) as a secondary figure. All rounds run on one loaded model
 * ({@link ProbeRunner.Session}). Then the producer alone is given
 * synthetic events of the model's shape to measure what it sustains and what a decision costs on the wire.
 */
public final class CaptureBench {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureBench.class);

    /** Prompts for a bench without a prompt file: short, so that rounds are short and decode steps dominate. */
    public static final List<Prompt> DEFAULT_PROMPTS = List.of(new Prompt("bench-1", "Hello experts"),
            new Prompt("bench-2", "Which expert gets this token?"), new Prompt("bench-3", "Route me"),
            new Prompt("bench-4", "Mixture of experts"));

    private final Supplier<KafkaRoutingSink> sinks;
    private final int intraOpThreads;
    private static final long DELIVERY_SECONDS = 5;

    private final StepClock clock = StepClock.system();

    /**
     * @param sinks          opens a fresh Kafka sink; each is closed (and so fully acknowledged) after its round
     * @param intraOpThreads the PyTorch intra-op threads the engine runs with, for the report
     */
    public CaptureBench(Supplier<KafkaRoutingSink> sinks, int intraOpThreads) {
        this.sinks = sinks;
        this.intraOpThreads = intraOpThreads;
    }

    /**
     * One untimed warm-up round (JIT, engine caches), then {@code stepRounds} timed rounds with alternating capture
     * (an even number, so each parity runs equally often); then {@code roundPairs} pairs of whole rounds off and on
     * in ABBA order (0: none); then {@code producerEvents} synthetic events through the producer alone.
     */
    public BenchReport run(ProbeRequest request, int stepRounds, int roundPairs, int producerEvents) {
        if (stepRounds < 2 || stepRounds % 2 != 0 || roundPairs < 0 || producerEvents < 1) {
            throw new IllegalArgumentException("step rounds must be even and at least 2 (each parity equally often) "
                    + "but were " + stepRounds + "; round pairs at least 0 but were " + roundPairs
                    + "; producer events at least 1 but were " + producerEvents);
        }
        double clockReading = StepClock.readingCost(clock, 50);
        double loadBefore = loadAverage();
        ModelIdentity model;
        var rounds = new ArrayList<AlternatingRound>();
        var pairs = new ArrayList<Pair>();
        DeliveryLoad delivery;
        List<Throughput> throughput;
        try (ProbeRunner.Session session = new ProbeRunner(Clock.systemUTC()).open(request)) {
            model = session.model();
            // One producer for all rounds, as a long probe run has: its start-up (metadata, producer id) is paid
            // once, not again for every short round.
            try (KafkaRoutingSink sink = sinks.get()) {
                sink.connect();
                alternating(session, sink, true);
                for (int r = 0; r < stepRounds; r++) {
                    AlternatingRound round = alternating(session, sink, r % 2 == 0);
                    log(r, round);
                    rounds.add(round);
                }
                delivery = deliveryLoad(session, sink);
                throughput = List.of(wholeRound(session, sink, false), wholeRound(session, sink, true));
            }
            for (int p = 0; p < roundPairs; p++) {
                pairs.add(roundPair(session, p % 2 == 0));
            }
        }
        double loadAfter = loadAverage();
        return new BenchReport(model, intraOpThreads, new StepOverhead(rounds, delivery), pairs, throughput,
                producerAlone(synthetic(model, producerEvents), model.moeLayers().size()), loadBefore, loadAfter,
                clockReading);
    }

    private static void log(int r, AlternatingRound round) {
        double[] wall = round.pairs().stream().mapToDouble(StepPair::wallShare).sorted().toArray();
        double[] cpu = round.pairs().stream().mapToDouble(StepPair::cpuShare).sorted().toArray();
        LOG.info("round {} (step {} captured): {} step pairs, median overhead wall {}%, generating thread CPU {}%",
                r, round.firstDecodeStepCaptured() ? 0 : 1, wall.length,
                wall.length == 0 ? "-" : String.format("%.2f", 100 * Bootstrap.quantile(wall, 0.5)),
                cpu.length == 0 ? "-" : String.format("%.2f", 100 * Bootstrap.quantile(cpu, 0.5)));
    }

    private AlternatingRound alternating(ProbeRunner.Session session, KafkaRoutingSink sink, boolean firstDecodeStep) {
        var timer = new StepPairTimer(clock);
        session.runAlternatingCapture(sink, timer, firstDecodeStep);
        return timer.round(firstDecodeStep);
    }

    /**
     * Whole rounds with every step captured, for at least {@value #DELIVERY_SECONDS} s of generation: the delivery
     * threads' CPU over the generating thread's. Their cost is largely per wake-up (every 250 ms or 256 KiB), so it
     * must be seen at a real run's event rate, not the half rate of alternating capture.
     */
    private DeliveryLoad deliveryLoad(ProbeRunner.Session session, KafkaRoutingSink sink) {
        awaitAcknowledged(sink);
        var delivery = new ClientCpu(false);
        long wallStart = clock.wallNanos();
        long cpuStart = clock.cpuNanos();
        long events = 0;
        while (events == 0 || clock.wallNanos() - wallStart < DELIVERY_SECONDS * 1_000_000_000L) {
            events += session.run(sink, ProbeListener.NONE).tokens();
        }
        // Before the wait for acknowledgements, which is not generation.
        double generating = (clock.cpuNanos() - cpuStart) / 1e9;
        awaitAcknowledged(sink);
        // Read before close: a closed sink's threads are gone, and their CPU time with them.
        DeliveryLoad load = new DeliveryLoad(delivery.secondsSinceStart(), generating, events);
        LOG.info("delivery: {} events, {} s CPU on the delivery threads, {} s on the generating thread", events,
                String.format("%.3f", load.deliveryCpuSeconds()), String.format("%.3f", generating));
        return load;
    }

    /**
     * One whole round of every prompt, captured or not, for the prefill and decode speed and the peak resident memory
     * of each (the peak reset before it): speed per phase is what a reader compares across thread counts, memory what
     * capture could add to a model's footprint. The pairs of steps remain the measure of capture's cost in time.
     */
    private Throughput wholeRound(ProbeRunner.Session session, KafkaRoutingSink sink, boolean capture) {
        var timer = new PhaseTimer();
        PeakRss.reset();
        if (capture) {
            session.run(sink, timer);
            awaitAcknowledged(sink);
        } else {
            session.runWithoutCapture(timer);
        }
        Throughput t = timer.throughput(capture, PeakRss.bytes());
        LOG.info("whole round, capture {}: prefill {} tok/s, decode {} tok/s, peak RSS {} MiB", capture ? "on" : "off",
                String.format("%.1f", t.prefillTokensPerSecond()), String.format("%.1f", t.decodeTokensPerSecond()),
                t.peakRssBytes() >> 20);
        return t;
    }

    /** Two whole rounds, capture off and on, in the given order. */
    private Pair roundPair(ProbeRunner.Session session, boolean offFirst) {
        Round first = round(session, !offFirst);
        Round second = round(session, offFirst);
        var pair = offFirst ? new Pair(first, second) : new Pair(second, first);
        LOG.info("round pair ({} first): {} tok/s off, {} tok/s on; overhead wall {}%, CPU {}%",
                offFirst ? "off" : "on", String.format("%.1f", pair.off().tokensPerSecond()),
                String.format("%.1f", pair.on().tokensPerSecond()), String.format("%.2f", 100 * pair.wallOverhead()),
                String.format("%.2f", 100 * pair.cpuOverhead()));
        return pair;
    }

    private Round round(ProbeRunner.Session session, boolean capture) {
        var timer = new RoundTimer(clock);
        if (!capture) {
            session.runWithoutCapture(timer);
            return timer.round(0, 0);
        }
        try (KafkaRoutingSink sink = sinks.get()) {
            // The producer's start-up (metadata, producer id) is once per run, not per token: left out.
            sink.connect();
            var delivery = new ClientCpu(false);
            ProbeResult result = session.run(sink, timer);
            awaitAcknowledged(sink);
            return timer.round(delivery.secondsSinceStart(), result.tokens());
        }
    }

    /** Encodes and sends {@code events} as fast as the sink takes them and waits for every acknowledgement. */
    private ProducerReport producerAlone(List<TokenRouting> events, int decisionsPerEvent) {
        var codec = new EventCodec();
        long encoded = events.stream().mapToLong(e -> codec.encode(e).length).sum();
        try (KafkaRoutingSink sink = sinks.get()) {
            var cpu = new ClientCpu(true);
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

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
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
}
