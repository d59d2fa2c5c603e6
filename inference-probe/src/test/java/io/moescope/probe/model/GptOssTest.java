package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.checkpoint.CheckpointException;
import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.reference.GptOssCheckpointWriter;
import io.moescope.probe.reference.GptOssReference;
import io.moescope.probe.reference.ReferenceDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpt-oss checkpoints in the released layout (MXFP4 experts, sharded, config.json as gpt-oss-20b's) and as
 * transformers 5 saves them (bfloat16 experts, rope_parameters), small enough for seconds: the DJL forward pass against
 * {@link GptOssReference}, over a prompt and generated tokens that run past the sliding window of 4.
 */
class GptOssTest {

    private static final int DECODE_STEPS = 6;
    /** Long enough to exceed the window in prefill already. */
    private static final String PROMPT = "Sinks and windows";

    @TempDir
    Path dir;

    static MoeConfig config(boolean mxfp4) {
        return GptOssCheckpointWriter.smallConfig(mxfp4);
    }

    @Test
    void theReleasedMxfp4LayoutMatchesTheReferenceInRoutingLogitsAndGreedyTokens() throws Exception {
        new GptOssCheckpointWriter(7, true).write(dir, config(true), ConfigWriter.Layout.RELEASED);
        assertMatchesReference(config(true));
    }

    @Test
    void theTransformers5LayoutWithBfloat16ExpertsMatchesTheReference() throws Exception {
        new GptOssCheckpointWriter(11, false).write(dir, config(false), ConfigWriter.Layout.TRANSFORMERS_5);
        assertMatchesReference(config(false));
    }

    @Test
    void offloadedMxfp4ExpertsAreDequantisedOnDemandAndRouteLikeResidentOnes() throws Exception {
        new GptOssCheckpointWriter(7, true).write(dir, config(true), ConfigWriter.Layout.RELEASED);
        var accesses = new ArrayList<ExpertAccess>();
        try (var checkpoint = MoeCheckpoint.open(dir); var resident = MoeModel.load(checkpoint);
             var offloaded = MoeModel.load(checkpoint, new Offloading(2, CachePolicy.LRU, accesses::add));
             var a = resident.newSequence(); var b = offloaded.newSequence()) {
            int[] input = MoeModelTest.tokens(PROMPT);
            for (int step = 0; step <= DECODE_STEPS; step++) {
                ForwardResult expected = a.forward(input);
                ForwardResult actual = b.forward(input);
                for (int l = 0; l < expected.layers().size(); l++) {
                    assertThat(actual.layers().get(l).expertIds()).isEqualTo(expected.layers().get(l).expertIds());
                }
                assertThat(actual.lastLogits()).containsExactly(expected.lastLogits());
                for (int l = 0; l < 3; l++) {
                    assertThat(offloaded.expertCache().orElseThrow().residentIn(l)).isLessThanOrEqualTo(2);
                }
                input = new int[] {expected.argmax()};
            }
            // one expert's file bytes: its slice of the blocks (out * in / 2) and scales (out * in / 32), and biases
            long blocksAndScales = (2L * 32 * 64 + 64L * 32) * 17 / 32;
            long biases = (2L * 32 + 64) * 2;
            assertThat(accesses).filteredOn(access -> !access.hit()).allSatisfy(access ->
                    assertThat(access.bytesRead()).isEqualTo(blocksAndScales + biases));
        }
    }

    /** ParameterCounts' gpt-oss formula (from config.json) against the tensors of the bfloat16 form, all read. */
    @Test
    void theParameterCountOfTheConfigIsTheElementCountOfEveryTensor() throws Exception {
        new GptOssCheckpointWriter(11, false).write(dir, config(false), ConfigWriter.Layout.TRANSFORMERS_5);
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            long elements = DecoderTensors.expected(config(false)).values().stream()
                    .mapToLong(shape -> Arrays.stream(shape).reduce(1, (a, b) -> a * b)).sum();
            assertThat(checkpoint.identity().totalParameters()).isEqualTo(elements);
        }
    }

    @Test
    void aTensorTheModelDoesNotReadIsRefusedByName() throws Exception {
        // a bfloat16 gate_up_proj beside the MXFP4 blocks: one of the two would be silently dropped
        new GptOssCheckpointWriter(7, false).writeWithExtra(dir, config(true),
                "model.layers.0.mlp.experts.gate_up_proj", new long[] {8, 64, 64});
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("model.layers.0.mlp.experts.gate_up_proj is in the checkpoint but not used by"
                        + " GptOssForCausalLM with this config.json (" + dir.resolve("model.safetensors") + ")");
    }

    @Test
    void u8IsAcceptedForMxfp4BlocksAndScalesOnly() throws Exception {
        new GptOssCheckpointWriter(7, false).writeWithU8(dir, config(true), "model.layers.1.mlp.router.bias");
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("tensor model.layers.1.mlp.router.bias in " + dir.resolve("model.safetensors")
                        + " has dtype U8 but only MXFP4 blocks and scales may be U8; this tensor must be F32, F16,"
                        + " BF16 or F8_E4M3");
    }

    private void assertMatchesReference(MoeConfig config) {
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            assertThat(checkpoint.config()).isEqualTo(config);
            var reference = new GptOssReference(checkpoint);
            int[] input = MoeModelTest.tokens(PROMPT);
            var generated = new ArrayList<Integer>();
            var expectedTokens = new ArrayList<Integer>();
            for (int step = 0; step <= DECODE_STEPS; step++) {
                ForwardResult actual = sequence.forward(input);
                ReferenceDecoder.Step expected = reference.forward(input);
                ReferenceAssertions.assertSameStep(actual, expected, config, "step " + step);
                generated.add(actual.argmax());
                expectedTokens.add(ReferenceAssertions.argmax(expected.lastLogits()));
                input = new int[] {actual.argmax()};
            }
            assertThat(generated).isEqualTo(expectedTokens);
            assertThat(sequence.length()).isGreaterThan(2 * config.slidingWindow().size());
        }
    }
}
