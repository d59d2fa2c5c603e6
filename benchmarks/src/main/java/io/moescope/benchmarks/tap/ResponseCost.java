package io.moescope.benchmarks.tap;

import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;

/**
 * The tap's own work on one response of the bench's stand-in, phase by phase, on one thread: what {@code bench-tap}
 * measures only as a whole, and only as much as a shared machine lets it. Capture is what the client waits for
 * (locate the routing members and cut them out); decoding the routing, building and checking the tokens and encoding
 * them happen after it has its answer. Run by hand, e.g. {@code java -cp ... io.moescope.benchmarks.tap.ResponseCost 256 1000}: the mean of the
 * second half of the iterations, the first half warming the JIT up, in the thread's CPU time, which other work on a
 * shared machine inflates far less than it does wall time.
 */
public final class ResponseCost {

    private ResponseCost() {
    }

    public static void main(String[] args) {
        int positions = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        byte[] response = StandInResponse.completion(positions, TapBench.MODEL);
        var request = TapRequest.of("/v1/completions", "{\"prompt\":\"bench\"}".getBytes(StandardCharsets.UTF_8),
                false);
        var capture = new RoutingCapture(Engine.VLLM, TapBench.MODEL);
        var codec = new EventCodec();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[3];
        long bytes = 0;
        for (int i = 0; i < iterations; i++) {
            long start = cpu.getCurrentThreadCpuTime();
            Capture captured = capture.capture(request, response, 1_780_000_000_000_000L);
            long decoded = cpu.getCurrentThreadCpuTime();
            var tokens = new ArrayList<TokenRouting>();
            captured.eachToken("run", tokens::add);
            long built = cpu.getCurrentThreadCpuTime();
            for (TokenRouting token : tokens) {
                bytes += codec.encode(token).length;
            }
            long encoded = cpu.getCurrentThreadCpuTime();
            if (i >= iterations / 2) {
                nanos[0] += decoded - start;
                nanos[1] += built - decoded;
                nanos[2] += encoded - built;
            }
            bytes += captured.clientBody().length;
        }
        int measured = iterations - iterations / 2;
        // the bytes written, so that no phase is optimised away, and a check that two builds wrote the same
        System.out.printf(Locale.ROOT, "%d positions (%,d bytes): capture %.2f ms, decode, build and check %.2f ms, "
                + "encode %.2f ms CPU per response (mean of the last %d); %,d bytes written%n", positions,
                response.length,
                nanos[0] / 1e6 / measured, nanos[1] / 1e6 / measured, nanos[2] / 1e6 / measured, measured, bytes);
    }
}
