package io.moescope.benchmarks.capture;

import io.moescope.events.TokenRouting;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import io.moescope.traces.RoutingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Not a test: measures the probe on the demo model with a sink that drops events. Run with the test classpath:
 * {@code java -cp ... io.moescope.benchmarks.capture.DemoBenchmark [maxNewTokens] [promptChars]}.
 */
public final class DemoBenchmark {

    public static void main(String[] args) throws Exception {
        int maxNew = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int promptChars = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("moescope-demo");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, DemoProgress.NONE);
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(promptChars / 45 + 1)
                .substring(0, promptChars);
        var sink = RoutingSink.discarding();
        for (int round = 0; round < 8; round++) {
            var prefill = new ProbeRequest(dir, List.of(new Prompt("p", text)), 0, "prefill");
            ProbeResult p = new ProbeRunner(Clock.systemUTC()).run(prefill, sink, ProbeListener.NONE);
            var decode = new ProbeRequest(dir, List.of(new Prompt("d", "Hi")), maxNew, "decode");
            var distinct = new java.util.TreeSet<Integer>();
            ProbeResult d = new ProbeRunner(Clock.systemUTC()).run(decode, sink, new ProbeListener() {
                @Override
                public void tokenRouted(TokenRouting token) {
                    distinct.add(token.tokenId());
                }
            });
            System.out.printf("round %d: prefill %d tokens in %d ms (%.0f tok/s); decode %d+%d tokens in %d ms "
                            + "(%.0f tok/s), %d distinct token ids%n", round, p.tokens(), p.elapsed().toMillis(), p.tokensPerSecond(),
                    d.promptTokens(), d.generatedTokens(), d.elapsed().toMillis(), d.tokensPerSecond(), distinct.size());
        }
    }
}
