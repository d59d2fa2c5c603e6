package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.traces.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloadedRunTest {

    private static final List<Prompt> PROMPTS = List.of(new Prompt("req-1", "Hello"), new Prompt("req-2", "MoE!"));

    @TempDir
    Path demo;

    @Test
    void withAnExpertCacheEveryStepReportsOneAccessPerRoutedExpertAndTheRoutingIsUnchanged() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        var resident = new RecordingSink();
        var offloaded = new RecordingSink();
        var runner = new ProbeRunner(Clock.systemUTC());
        runner.run(new ProbeRequest(demo, PROMPTS, 5, "resident"), resident, ProbeListener.NONE);
        runner.run(new ProbeRequest(demo, PROMPTS, 5, "offloaded", 2, CachePolicy.LFU), offloaded,
                ProbeListener.NONE);

        assertThat(ids(offloaded.tokens)).isEqualTo(ids(resident.tokens));
        assertThat(resident.cacheSteps).isEmpty();
        // One step per prefill and per decode token: 2 prefills + 2 x 5 decode steps.
        assertThat(offloaded.cacheSteps).hasSize(12);
        assertThat(offloaded.cacheSteps.get(0)).extracting(ExpertCacheStep::requestId, ExpertCacheStep::firstTokenIndex,
                ExpertCacheStep::capacity, ExpertCacheStep::policy).containsExactly("req-1", 0, 2, "LFU");
        // A decode step uses 2 experts in each of 4 layers; a prefill step runs each expert its prompt routes to
        // once (on all of its tokens), so it has one access per distinct (layer, expert).
        for (ExpertCacheStep step : offloaded.cacheSteps) {
            if (step.tokens() == 1) {
                assertThat(step.accesses()).hasSize(8);
            } else {
                long distinct = offloaded.tokens.stream()
                        .filter(t -> t.requestId().equals(step.requestId()) && t.tokenIndex() < step.tokens())
                        .flatMap(t -> t.decisions().stream().flatMap(d -> java.util.Arrays.stream(d.expertIds())
                                .mapToObj(e -> d.layer() + "/" + e)))
                        .distinct().count();
                assertThat(step.accesses()).hasSize((int) distinct);
            }
        }
        assertThat(offloaded.cacheSteps).allMatch(s -> s.runId().equals(offloaded.runs.get(0).runId()));
    }

    private static List<String> ids(List<TokenRouting> tokens) {
        return tokens.stream().map(t -> t.requestId() + t.tokenIndex() + t.decisions().stream()
                .map(RouterDecision::expertIds).map(java.util.Arrays::toString).toList()).toList();
    }
}
