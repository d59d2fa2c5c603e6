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

/**
 * Capture off and capture alternating per decode step, the two ways the overhead bench compares against capture,
 * must generate exactly what capture on generates; alternating capture routes exactly the captured steps.
 */
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
        List<Integer> on = generate(StepCapture.ALL, sampling, new ArrayList<>());
        assertThat(on).hasSize(MAX_NEW);
        assertThat(generate(StepCapture.NONE, sampling, new ArrayList<>())).isEqualTo(on);
    }

    @Test
    void greedyCaptureOffGeneratesExactlyTheTokensOfCaptureOn() {
        assertThat(generate(StepCapture.NONE, Sampling.GREEDY, new ArrayList<>()))
                .isEqualTo(generate(StepCapture.ALL, Sampling.GREEDY, new ArrayList<>()));
    }

    @Test
    void sampledWithTheSameSeedAlternatingCaptureInEitherParityGeneratesExactlyTheTokensOfCaptureOn() {
        var sampling = new Sampling(1.5, 0.95, 11);
        List<Integer> on = generate(StepCapture.ALL, sampling, new ArrayList<>());
        assertThat(generate(StepCapture.alternating(true), sampling, new ArrayList<>())).isEqualTo(on);
        assertThat(generate(StepCapture.alternating(false), sampling, new ArrayList<>())).isEqualTo(on);
    }

    @Test
    void alternatingCaptureFromTheFirstDecodeStepRoutesTheEvenDecodeStepsAndNoPrefill() {
        var events = new ArrayList<TokenRouting>();
        generate(StepCapture.alternating(true), Sampling.GREEDY, events);
        // decode step d feeds the token at index 11 (prompt length) + d; steps 0, 2, ..., 22
        assertThat(events).extracting(TokenRouting::tokenIndex)
                .containsExactly(11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33);
        assertThat(events).extracting(TokenRouting::phase).containsOnly(Phase.DECODE);
    }

    @Test
    void alternatingCaptureFromTheSecondDecodeStepRoutesTheOddDecodeSteps() {
        var events = new ArrayList<TokenRouting>();
        generate(StepCapture.alternating(false), Sampling.GREEDY, events);
        assertThat(events).extracting(TokenRouting::tokenIndex)
                .containsExactly(12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34);
    }

    @Test
    void aStepCapturedBetweenUncapturedOnesRoutesExactlyWhatCaptureOnRoutesForThatToken() {
        var on = new ArrayList<TokenRouting>();
        var alternating = new ArrayList<TokenRouting>();
        generate(StepCapture.ALL, Sampling.GREEDY, on);
        generate(StepCapture.alternating(false), Sampling.GREEDY, alternating);
        // alternating.get(i) is decode step 2i + 1, the token at index 12 + 2i: on.get(12 + 2i)
        for (int i = 0; i < alternating.size(); i++) {
            TokenRouting expected = on.get(12 + 2 * i);
            TokenRouting actual = alternating.get(i);
            assertThat(actual.tokenIndex()).isEqualTo(expected.tokenIndex());
            assertThat(actual.tokenId()).isEqualTo(expected.tokenId());
            assertThat(actual.decisions()).isEqualTo(expected.decisions());
        }
    }

    @Test
    void captureOffBuildsNoTokenEventAndCaptureOnOneForEveryToken() {
        var off = new ArrayList<TokenRouting>();
        var on = new ArrayList<TokenRouting>();
        generate(StepCapture.NONE, Sampling.GREEDY, off);
        generate(StepCapture.ALL, Sampling.GREEDY, on);
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

    private static List<Integer> generate(StepCapture capture, Sampling sampling, List<TokenRouting> events) {
        try (var checkpoint = MoeCheckpoint.open(demo); var model = MoeModel.load(checkpoint)) {
            var generator = new RequestGenerator(model, Clock.systemUTC(),
                    (requestId, first, tokens, at, nanos) -> { }, capture);
            return generator.generate("run", "req", PROMPT, MAX_NEW, sampling, events::add).generated();
        }
    }
}
