package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoTokenizer;
import io.moescope.probe.reference.ReferenceDecoder;
import io.moescope.traces.model.MoeLayers;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints whose config.json is as transformers 5 saves it (rope_parameters with a rotary base of 1e6, dtype,
 * Qwen3-MoE's num_local_experts, attention biases on q, k, v and o) run on DJL exactly as the plain-Java reference:
 * same top-k ids per token and layer, weights within 1e-5, logits within 1e-4, same greedy tokens.
 */
class Transformers5CheckpointsTest {

    private static final int DECODE_STEPS = 6;

    @TempDir
    Path dir;

    /** Qwen3-MoE with attention_bias: biases on q, k, v and o; every other layer sparse. */
    static MoeConfig qwen3WithAttentionBias() {
        return base("Qwen3MoeForCausalLM", 16, 4, 4, 2, 16).with("Qwen3MoeForCausalLM", 48, 0, true, true,
                MoeLayers.sparseStep(4, 2, List.of()));
    }

    /** OLMoE with attention_bias: the same four biases, q/k norm across heads. */
    static MoeConfig olmoeWithAttentionBias() {
        return base("OlmoeForCausalLM", 16, 4, 2, 4, 8).with("OlmoeForCausalLM", 16, 0, false, true, List.of(0, 1));
    }

    /** Qwen2-MoE with qkv_bias as transformers 5 writes it: biases on q, k and v only. */
    static MoeConfig qwen2() {
        return base("Qwen2MoeForCausalLM", 8, 2, 3, 2, 8).with("Qwen2MoeForCausalLM", 48, 24, false, true,
                List.of(0, 2));
    }

    /** Qwen2-MoE saved with qkv_bias false: no attention bias at all. */
    static MoeConfig qwen2WithoutQkvBias() {
        return base("Qwen2MoeForCausalLM", 8, 2, 2, 2, 8).with("Qwen2MoeForCausalLM", 48, 24, false, false,
                List.of(0, 1));
    }

    static MoeConfig mixtral() {
        return base("MixtralForCausalLM", 8, 2, 2, 2, 8);
    }

    /** Rotary base 1e6, as Qwen3-MoE and Mixtral are released: far from the 1e4 the Qwen config classes default to. */
    private static MoeConfig base(String arch, int experts, int topK, int layers, int kvHeads, int headDim) {
        return new MoeConfig(arch, 32, 16, layers, 4, kvHeads, headDim, experts, topK, DemoTokenizer.VOCAB_SIZE,
                1e-6, 1e6, 512, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
    }

    static Stream<MoeConfig> checkpoints() {
        return Stream.of(qwen3WithAttentionBias(), olmoeWithAttentionBias(), qwen2(), qwen2WithoutQkvBias(),
                mixtral());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("checkpoints")
    void routingLogitsAndGreedyTokensMatchTheReference(MoeConfig config) throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, config, ConfigWriter.Layout.TRANSFORMERS_5,
                DemoProgress.NONE);
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            assertThat(checkpoint.config()).isEqualTo(config);
            var reference = new ReferenceDecoder(checkpoint);
            int[] input = MoeModelTest.tokens("Rotary bases and biases");
            for (int step = 0; step <= DECODE_STEPS; step++) {
                ForwardResult actual = sequence.forward(input);
                ReferenceDecoder.Step expected = reference.forward(input);
                String where = config.architecture() + " step " + step;
                ReferenceAssertions.assertSameStep(actual, expected, config, where);
                assertThat(actual.argmax()).as(where + " greedy token")
                        .isEqualTo(ReferenceAssertions.argmax(expected.lastLogits()));
                input = new int[] {actual.argmax()};
            }
        }
    }
}
