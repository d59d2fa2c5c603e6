package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.RouterDecision;
import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.reference.GptOssCheckpointWriter;
import io.moescope.traces.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A released-layout gpt-oss checkpoint through the probe's run, with its MXFP4 experts offloaded. */
class GptOssRunTest {

    @TempDir
    Path dir;

    @Test
    void everyDecisionCarriesKWeightsSummingToOneAndTheEntropyOfTheSoftmaxOverAllExperts() throws Exception {
        new GptOssCheckpointWriter(7, true).write(dir, GptOssCheckpointWriter.smallConfig(true),
                ConfigWriter.Layout.RELEASED);
        var sink = new RecordingSink();
        new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(dir, List.of(new Prompt("req-1", "gpt-oss")), 6,
                "gpt-oss", 2, CachePolicy.LRU), sink, ProbeListener.NONE);

        assertThat(sink.runs.get(0).model().architecture()).isEqualTo("GptOssForCausalLM");
        assertThat(sink.tokens).hasSizeGreaterThan(6);
        assertThat(sink.cacheSteps).isNotEmpty();
        for (var token : sink.tokens) {
            assertThat(token.decisions()).extracting(RouterDecision::layer).containsExactly(0, 1, 2);
            for (RouterDecision d : token.decisions()) {
                assertThat(d.expertIds()).hasSize(3).doesNotHaveDuplicates();
                double sum = 0;
                for (float w : d.weights()) {
                    sum += w;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-6));
                // a softmax over 8 experts: at most ln 8, and above 0 for finite logits
                assertThat((double) d.routerEntropy()).isGreaterThan(0).isLessThanOrEqualTo(Math.log(8) + 1e-6);
            }
        }
    }
}
