package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.traces.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationOptionsTest {

    private static final List<Prompt> PROMPTS = List.of(new Prompt("a", "Sampling"),
            Prompt.chat("b", List.of(new ChatMessage("user", "Hi"))));

    @TempDir
    static Path demo;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    @Test
    void everyPrefillAndDecodeStepIsTimed() {
        var steps = new ArrayList<String>();
        var listener = new ProbeListener() {
            @Override
            public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
                assertThat(nanos).isPositive();
                steps.add(requestId + " " + phase + " " + tokens);
            }
        };
        var result = new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(demo, PROMPTS, 2, "t"),
                new RecordingSink(), listener);
        // "Sampling" is BOS + 8 bytes; the chat prompt renders as "user: Hi\nassistant:" (no template): BOS + 19.
        assertThat(steps).containsExactly("a PREFILL 9", "a DECODE 1", "a DECODE 1", "b PREFILL 20", "b DECODE 1",
                "b DECODE 1");
        assertThat(result.generatedTokens()).isEqualTo(4);
    }

    @Test
    void aSeededSampledRunRepeatsItselfAndDiffersFromGreedy() {
        var sampling = new Sampling(1.5, 0.95, 11);
        assertThat(generated(sampling)).isEqualTo(generated(sampling)).isNotEqualTo(generated(Sampling.GREEDY));
    }

    private static List<Integer> generated(Sampling sampling) {
        var sink = new RecordingSink();
        new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(demo, PROMPTS, 12, "s", 0, CachePolicy.LRU, sampling),
                sink, ProbeListener.NONE);
        return sink.tokens.stream().filter(t -> t.phase() == Phase.DECODE).map(TokenRouting::tokenId).toList();
    }
}
