package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoTokenizer;
import io.moescope.probe.reference.ReferenceDecoder;
import io.moescope.traces.model.MoeLayers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OLMoE, Qwen2-MoE and Qwen3-MoE checkpoints with the real HF tensor names and config keys (small dimensions, seeded
 * random weights), run on DJL and compared with the plain-Java reference.
 */
class ArchitecturesTest {

    private static final int DECODE_STEPS = 4;

    @TempDir
    Path dir;

    /** OLMoE: 64 experts top-8 as in OLMoE-1B-7B, q/k RMSNorm across heads, norm_topk_prob false as released. */
    static MoeConfig olmoe() {
        return base("OlmoeForCausalLM", 64, 8, 2, 4, 8).with("OlmoeForCausalLM", 16, 0, false, false,
                List.of(0, 1));
    }

    /** Qwen2-MoE: q/k/v biases, a gated shared expert, raw top-k probabilities, layer 1 dense (mlp_only_layers). */
    static MoeConfig qwen2() {
        return base("Qwen2MoeForCausalLM", 8, 4, 3, 2, 8).with("Qwen2MoeForCausalLM", 48, 24, false, true,
                List.of(0, 2));
    }

    /** Qwen3-MoE: per-head q/k RMSNorm, head_dim apart from hidden / heads, renormalised top-k, sparse step 2. */
    static MoeConfig qwen3() {
        return base("Qwen3MoeForCausalLM", 16, 4, 4, 2, 16).with("Qwen3MoeForCausalLM", 48, 0, true, false,
                MoeLayers.sparseStep(4, 2, List.of()));
    }

    private static MoeConfig base(String arch, int experts, int topK, int layers, int kvHeads, int headDim) {
        return new MoeConfig(arch, 32, 16, layers, 4, kvHeads, headDim, experts, topK, DemoTokenizer.VOCAB_SIZE,
                1e-6, 1e4, 512, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
    }

    static Stream<MoeConfig> architectures() {
        return Stream.of(olmoe(), qwen2(), qwen3());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("architectures")
    void topKIdsWeightsEntropyAndLogitsMatchTheReferenceForPrefillAndDecode(MoeConfig config) throws Exception {
        write(config);
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint)) {
            assertThat(checkpoint.config()).isEqualTo(config);
            for (String prompt : List.of("Shared experts?", "x")) {
                var reference = new ReferenceDecoder(checkpoint);
                try (Sequence sequence = model.newSequence()) {
                    int[] input = MoeModelTest.tokens(prompt);
                    for (int step = 0; step <= DECODE_STEPS; step++) {
                        ForwardResult actual = sequence.forward(input);
                        ReferenceAssertions.assertSameStep(actual, reference.forward(input), config,
                                config.architecture() + " '" + prompt + "' step " + step);
                        input = new int[] {actual.argmax()};
                    }
                }
            }
        }
    }

    /** The count from config.json (ParameterCounts) against the tensors the checkpoint holds, all of them read. */
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("architectures")
    void theParameterCountOfTheConfigIsTheElementCountOfEveryTensor(MoeConfig config) throws Exception {
        write(config);
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            long elements = DecoderTensors.expected(config).values().stream()
                    .mapToLong(shape -> Arrays.stream(shape).reduce(1, (a, b) -> a * b)).sum();
            assertThat(checkpoint.identity().totalParameters()).isEqualTo(elements);
        }
    }

    /** A tied LM head is read from the embedding (it has no tensor of its own). */
    @Test
    void aTiedLmHeadIsTheEmbedding() throws Exception {
        MoeConfig tied = new MoeConfig("MixtralForCausalLM", 32, 16, 2, 4, 2, 8, 4, 2, DemoTokenizer.VOCAB_SIZE, 1e-6,
                1e6, 512, true, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
        write(tied);
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            int[] input = MoeModelTest.tokens("tied");
            ReferenceAssertions.assertSameStep(sequence.forward(input), new ReferenceDecoder(checkpoint).forward(input),
                    tied, "tied");
        }
    }

    @Test
    void denseLayersCarryNoRouterDecisionsAndTheIdentityListsOnlyTheMoeLayers() throws Exception {
        write(qwen2());
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            ForwardResult result = sequence.forward(MoeModelTest.tokens("dense"));
            assertThat(result.layers()).extracting(LayerRouting::layer).containsExactly(0, 2);
            assertThat(result.decisions(0)).extracting(d -> d.layer()).containsExactly(0, 2);
            assertThat(checkpoint.identity().moeLayers()).containsExactly(0, 2);
            assertThat(checkpoint.identity().numLayers()).isEqualTo(3);
        }
    }

    @Test
    void withoutNormTopKProbTheWeightsAreTheRawSoftmaxProbabilitiesSummingBelowOne() throws Exception {
        write(olmoe());
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            var decision = sequence.forward(MoeModelTest.tokens("raw")).decisions(0).get(0);
            double sum = 0;
            for (float w : decision.weights()) {
                sum += w;
            }
            assertThat(decision.topK()).isEqualTo(8);
            assertThat(sum).isLessThan(1.0).isGreaterThan(8.0 / 64);
        }
    }

    @Test
    void withNormTopKProbTheWeightsSumToOne() throws Exception {
        write(qwen3());
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            var decision = sequence.forward(MoeModelTest.tokens("norm")).decisions(0).get(0);
            double sum = 0;
            for (float w : decision.weights()) {
                sum += w;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
        }
    }

    private void write(MoeConfig config) throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, config, DemoProgress.NONE);
    }
}
