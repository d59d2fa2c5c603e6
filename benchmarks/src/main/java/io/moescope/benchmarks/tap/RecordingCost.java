package io.moescope.benchmarks.tap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.TokenRules;
import io.moescope.events.validation.TokenView;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.tap.run.TapProducer;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.engine.EngineResponses;
import io.moescope.traces.engine.NpyFile;
import io.moescope.traces.engine.ResponseContext;
import io.moescope.traces.engine.RoutedSequence;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the recording of one stand-in response goes, phase by phase, each phase timed on its own over the same
 * response on one thread (thread CPU, JIT warm: the mean of the second half of the iterations): the capture the
 * client waits for, then what the recording thread does, base64, the {@code .npy} conversion, the rest of the decoding
 * (the skeleton's tree, the checks of the layer axis), building the tokens, checking them against ingest's rules,
 * encoding them; with a broker's address also sending them through the tap's producer (the process's CPU by thread:
 * the caller, the delivery thread, the producer's network thread, the rest, i.e. an in-process broker, and what no
 * Java thread accounts for: GC and JIT). {@code ResponseCost} measures the same work in three parts as it runs.
 *
 * <p>Run by hand: {@code java -cp ... io.moescope.benchmarks.tap.RecordingCost POSITIONS ITERATIONS [BOOTSTRAP
 * [CODEC]]}, the codec one of {@link ProducerCompression#CODECS} (default: the external broker's).
 */
public final class RecordingCost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYLOAD_START = "\"routed_experts\":\"";

    private RecordingCost() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int positions = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        String bootstrap = args.length > 2 ? args[2] : null;
        var compression = args.length > 3 ? new ProducerCompression(args[3]) : ProducerCompression.EXTERNAL_BROKER;
        byte[] response = StandInResponse.completion(positions, TapBench.MODEL);
        var phases = new Phases(iterations);
        var request = TapRequest.of("/v1/completions", "{\"prompt\":\"bench\"}".getBytes(StandardCharsets.UTF_8),
                false);
        var routingCapture = new RoutingCapture(Engine.VLLM, TapBench.MODEL);
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int from = text.indexOf(PAYLOAD_START) + PAYLOAD_START.length();
        int to = text.indexOf('"', from);
        var context = new ResponseContext(null, TapBench.MODEL, null, "bench");
        RoutedSequence sequence = EngineResponses.decode(JSON.readTree(response), context).get(0);
        var codec = new EventCodec();
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            Capture capture = phases.time("capture (client waits)",
                    () -> routingCapture.capture(request, response, 1L));
            byte[] npy = phases.time("base64", () -> base64(response, from, to));
            sink += phases.time(".npy to ids", () -> NpyFile.routedExperts(npy)).ids().length;
            sink += phases.time("decode, build and check as recorded", () -> eachToken(capture)).size();
            List<TokenRouting> tokens = phases.time("build tokens", () -> tokens(sequence));
            phases.time("check tokens", () -> check(tokens));
            sink += phases.time("encode", () -> encode(codec, tokens));
            phases.next();
        }
        phases.print(positions, response.length, sink);
        if (bootstrap != null) {
            send(bootstrap, compression, sequence, iterations);
        }
    }

    private static byte[] base64(byte[] json, int from, int to) {
        return Base64.getDecoder().decode(ByteBuffer.wrap(json, from, to - from)).array();
    }

    private static List<TokenRouting> eachToken(Capture capture) {
        var tokens = new ArrayList<TokenRouting>();
        capture.eachToken("run", tokens::add);
        return tokens;
    }

    private static List<TokenRouting> tokens(RoutedSequence sequence) {
        var tokens = new ArrayList<TokenRouting>(sequence.experts().rows());
        for (int row = 0; row < sequence.experts().rows(); row++) {
            tokens.add(sequence.token("run", row, TapBench.MODEL.moeLayers(), 1L));
        }
        return tokens;
    }

    private static Void check(List<TokenRouting> tokens) {
        for (TokenRouting token : tokens) {
            TokenRules.check(TokenView.of(token));
        }
        return null;
    }

    private static long encode(EventCodec codec, List<TokenRouting> tokens) {
        long bytes = 0;
        for (TokenRouting token : tokens) {
            bytes += codec.encode(token).length;
        }
        return bytes;
    }

    /** The tokens of {@code responses} responses through the tap's producer, and the process's CPU by thread. */
    private static void send(String bootstrap, ProducerCompression compression, RoutedSequence sequence,
                             int responses) throws InterruptedException {
        List<TokenRouting> tokens = tokens(sequence);
        var options = DeliveryOptions.defaults().withCloseTimeout(Duration.ofMinutes(10));
        try (var sink = new KafkaRoutingSink(bootstrap, compression, TapProducer.OVERRIDES, options)) {
            sink.connect();
            for (int i = 0; i < responses / 2; i++) {
                sendAll(sink, tokens);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Map<String, Long> before = cpuByThreadGroup(threads);
            long processBefore = os.getProcessCpuTime();
            long gcBefore = gcMillis();
            long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            int measured = responses - responses / 2;
            for (int i = 0; i < measured; i++) {
                sendAll(sink, tokens);
            }
            Map<String, Long> after = cpuByThreadGroup(threads);
            long process = os.getProcessCpuTime() - processBefore;
            var line = new StringBuilder(String.format(Locale.ROOT, "sending through the tap's producer, per response"
                    + " (mean of %d): process %.1f ms CPU", measured, process / 1e6 / measured));
            long accounted = 0;
            for (var group : after.entrySet()) {
                long used = group.getValue() - before.getOrDefault(group.getKey(), 0L);
                accounted += used;
                line.append(String.format(Locale.ROOT, ", %s %.1f", group.getKey(), used / 1e6 / measured));
            }
            line.append(String.format(Locale.ROOT, ", no Java thread (GC, JIT) %.1f (GC pauses %.1f ms, JIT %.1f ms)",
                    (process - accounted) / 1e6 / measured, (gcMillis() - gcBefore) / (double) measured,
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore)
                            / (double) measured));
            System.out.println(line);
        }
    }

    /** Sends the tokens (encoding them on this thread) and waits until Kafka has taken them all. */
    private static void sendAll(KafkaRoutingSink sink, List<TokenRouting> tokens) throws InterruptedException {
        for (TokenRouting token : tokens) {
            sink.token(token);
        }
        while (sink.stats().pending() > 0) {
            Thread.sleep(1);
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> b.getCollectionTime()).sum();
    }

    private static Map<String, Long> cpuByThreadGroup(ThreadMXBean threads) {
        var groups = new LinkedHashMap<String, Long>();
        groups.put("caller (encode, enqueue)", 0L);
        groups.put("delivery thread (producer.send: batching, codec)", 0L);
        groups.put("producer network thread", 0L);
        groups.put("other Java threads (broker)", 0L);
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            String name = info.getThreadName();
            String group = info.getThreadId() == Thread.currentThread().getId() ? "caller (encode, enqueue)"
                    : name.equals("moescope-kafka-sender") ? "delivery thread (producer.send: batching, codec)"
                    : name.startsWith("kafka-producer-network-thread") ? "producer network thread"
                    : "other Java threads (broker)";
            groups.merge(group, cpu, Long::sum);
        }
        return groups;
    }

    /** Thread CPU per named phase, summed over the second half of the iterations. */
    private static final class Phases {

        private final com.sun.management.ThreadMXBean cpu =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final Map<String, Long> nanos = new LinkedHashMap<>();
        private final Map<String, Long> allocated = new LinkedHashMap<>();
        private final int iterations;
        private int iteration;

        Phases(int iterations) {
            this.iterations = iterations;
        }

        <T> T time(String phase, java.util.function.Supplier<T> work) {
            long thread = Thread.currentThread().getId();
            long bytes = cpu.getThreadAllocatedBytes(thread);
            long start = cpu.getCurrentThreadCpuTime();
            T result = work.get();
            long used = cpu.getCurrentThreadCpuTime() - start;
            long allocatedNow = cpu.getThreadAllocatedBytes(thread) - bytes;
            nanos.merge(phase, iteration >= iterations / 2 ? used : 0, Long::sum);
            allocated.merge(phase, iteration >= iterations / 2 ? allocatedNow : 0, Long::sum);
            return result;
        }

        void next() {
            iteration++;
        }

        void print(int positions, int bytes, long sink) {
            int measured = iterations - iterations / 2;
            System.out.printf(Locale.ROOT, "%d positions (%,d bytes), ms of thread CPU per response, mean of the last"
                    + " %d (checksum %d):%n", positions, bytes, measured, sink);
            nanos.forEach((phase, total) -> System.out.printf(Locale.ROOT, "  %-40s %8.2f ms %8.1f MB allocated%n",
                    phase, total / 1e6 / measured, allocated.get(phase) / 1e6 / measured));
        }
    }
}
