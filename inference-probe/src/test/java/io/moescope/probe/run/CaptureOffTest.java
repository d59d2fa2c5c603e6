package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.model.MoeModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture off, the baseline of the overhead bench, must generate exactly what capture on generates. */
class CaptureOffTest {

    private static final int[] PROMPT = {1, 75, 104, 111, 32, 114, 111, 117, 116, 101, 115};
    private static final int MAX_NEW = 24;

    @TempDir
    static Path demo;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    @Test
    void sampledWithTheSameSeedCaptureOffGeneratesExactlyTheTokensOfCaptureOn() {
        var sampling = new Sampling(1.5, 0.95, 11);
        List<Integer> on = generate(true, sampling, new ArrayList<>());
        assertThat(on).hasSize(MAX_NEW);
        assertThat(generate(false, sampling, new ArrayList<>())).isEqualTo(on);
    }

    @Test
    void greedyCaptureOffGeneratesExactlyTheTokensOfCaptureOn() {
        assertThat(generate(false, Sampling.GREEDY, new ArrayList<>()))
                .isEqualTo(generate(true, Sampling.GREEDY, new ArrayList<>()));
    }

    @Test
    void captureOffBuildsNoTokenEventAndCaptureOnOneForEveryToken() {
        var off = new ArrayList<TokenRouting>();
        var on = new ArrayList<TokenRouting>();
        generate(false, Sampling.GREEDY, off);
        generate(true, Sampling.GREEDY, on);
        assertThat(off).isEmpty();
        assertThat(on).hasSize(PROMPT.length + MAX_NEW);
        assertThat(on.get(PROMPT.length).phase()).isEqualTo(Phase.DECODE);
    }

    @Test
    void theRunnerWithoutCaptureTimesEveryStepButRoutesNoToken() {
        var steps = new ArrayList<String>();
        var routed = new ArrayList<TokenRouting>();
        var listener = new ProbeListener() {
            @Override
            public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
                steps.add(requestId + " " + phase + " " + tokens);
            }

            @Override
            public void tokenRouted(TokenRouting token) {
                routed.add(token);
            }
        };
        var request = new ProbeRequest(demo, List.of(new Prompt("a", "Sampling")), 2, "off");
        ProbeResult result = new ProbeRunner(Clock.systemUTC()).runWithoutCapture(request, listener);
        // "Sampling" is BOS + 8 bytes.
        assertThat(steps).containsExactly("a PREFILL 9", "a DECODE 1", "a DECODE 1");
        assertThat(routed).isEmpty();
        assertThat(result.promptTokens()).isEqualTo(9);
        assertThat(result.generatedTokens()).isEqualTo(2);
    }

    private static List<Integer> generate(boolean capture, Sampling sampling, List<TokenRouting> events) {
        try (var checkpoint = MoeCheckpoint.open(demo); var model = MoeModel.load(checkpoint)) {
            var generator = new RequestGenerator(model, Clock.systemUTC(),
                    (requestId, first, tokens, at, nanos) -> { }, capture);
            return generator.generate("run", "req", PROMPT, MAX_NEW, sampling, events::add).generated();
        }
    }
}
