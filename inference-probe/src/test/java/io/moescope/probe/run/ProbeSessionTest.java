package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.traces.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One loaded model, several runs: what the capture bench relies on. */
class ProbeSessionTest {

    private static final List<Prompt> PROMPTS = List.of(new Prompt("req-1", "Hello"), new Prompt("req-2", "MoE!"));

    @TempDir
    Path demo;

    @Test
    void runsOfOneSessionAreSeparateRunsWithTheRoutingOfAFreshlyLoadedModel() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        var request = new ProbeRequest(demo, PROMPTS, 5, "session");
        var fresh = new RecordingSink();
        new ProbeRunner(Clock.systemUTC()).run(request, fresh, ProbeListener.NONE);
        var first = new RecordingSink();
        var second = new RecordingSink();

        try (ProbeRunner.Session session = new ProbeRunner(Clock.systemUTC()).open(request)) {
            session.run(first, ProbeListener.NONE);
            session.runWithoutCapture(ProbeListener.NONE);
            session.run(second, ProbeListener.NONE);
        }

        assertThat(routing(first.tokens)).isEqualTo(routing(fresh.tokens));
        assertThat(routing(second.tokens)).isEqualTo(routing(fresh.tokens));
        assertThat(second.runs.get(0).runId()).isNotEqualTo(first.runs.get(0).runId());
    }

    @Test
    void anAlternatingRunRoutesEveryOtherDecodeStepOfEachRequestAsACapturedRunRoutesIt() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        var captured = new RecordingSink();
        var alternating = new RecordingSink();

        try (ProbeRunner.Session session = new ProbeRunner(Clock.systemUTC())
                .open(new ProbeRequest(demo, PROMPTS, 5, "alternating"))) {
            session.run(captured, ProbeListener.NONE);
            session.runAlternatingCapture(alternating, ProbeListener.NONE, true);
        }

        // "Hello" is BOS + 5 bytes, "MoE!" BOS + 4: decode steps 0, 2, 4 feed the tokens at 6, 8, 10 and 5, 7, 9
        assertThat(alternating.tokens).extracting(t -> t.requestId() + "/" + t.tokenIndex())
                .containsExactly("req-1/6", "req-1/8", "req-1/10", "req-2/5", "req-2/7", "req-2/9");
        List<TokenRouting> evenDecodeSteps = captured.tokens.stream().filter(t -> t.phase() == Phase.DECODE
                && (t.tokenIndex() - (t.requestId().equals("req-1") ? 6 : 5)) % 2 == 0).toList();
        assertThat(routing(alternating.tokens)).isEqualTo(routing(evenDecodeSteps));
        assertThat(alternating.runs).extracting(RunLifecycle::status)
                .containsExactly(RunStatus.STARTED, RunStatus.FINISHED);
    }

    @Test
    void theSessionNamesTheModelItLoaded() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);

        try (ProbeRunner.Session session = new ProbeRunner(Clock.systemUTC())
                .open(new ProbeRequest(demo, PROMPTS, 1, "identity"))) {
            assertThat(session.model().architecture()).isEqualTo("MixtralForCausalLM");
            assertThat(session.model().numExperts()).isEqualTo(8);
            assertThat(session.model().topK()).isEqualTo(2);
        }
    }

    @Test
    void eachRunOfAnOffloadedSessionReportsItsCacheAccessesUnderItsOwnRunId() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        var first = new RecordingSink();
        var second = new RecordingSink();

        try (ProbeRunner.Session session = new ProbeRunner(Clock.systemUTC())
                .open(new ProbeRequest(demo, PROMPTS, 5, "offloaded", 2, CachePolicy.LRU))) {
            session.run(first, ProbeListener.NONE);
            session.run(second, ProbeListener.NONE);
        }

        // 2 prefills + 2 x 5 decode steps each
        assertThat(first.cacheSteps).hasSize(12).extracting(ExpertCacheStep::runId)
                .containsOnly(first.runs.get(0).runId());
        assertThat(second.cacheSteps).hasSize(12).extracting(ExpertCacheStep::runId)
                .containsOnly(second.runs.get(0).runId());
    }

    private static List<String> routing(List<TokenRouting> tokens) {
        return tokens.stream().map(t -> t.requestId() + "/" + t.tokenIndex() + "/" + t.tokenId() + t.decisions()
                .stream().map(RouterDecision::expertIds).map(Arrays::toString).toList()).toList();
    }
}
