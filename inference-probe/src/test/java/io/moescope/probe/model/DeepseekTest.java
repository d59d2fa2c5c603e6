package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.reference.DeepseekCheckpoints;
import io.moescope.probe.reference.DeepseekCheckpoints.Spec;
import io.moescope.probe.reference.DeepseekReference;
import io.moescope.probe.reference.ReferenceDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DeepSeek-V3-shaped (FP8 blocks, q_lora, sigmoid group-limited router with correction bias, MTP layer on disk,
 * shards) and DeepSeek-V2-Lite-shaped (no q_lora, softmax greedy, BF16) checkpoints in the released layout, with the
 * released config keys and as transformers 5 saves them, run on DJL against the plain-Java {@link DeepseekReference}.
 */
class DeepseekTest {

    private static final int DECODE_STEPS = 4;

    @TempDir
    Path dir;

    static Stream<Arguments> checkpoints() {
        Function<Spec, ObjectNode> released = DeepseekCheckpoints::releasedConfig;
        Function<Spec, ObjectNode> transformers5 = DeepseekCheckpoints::transformers5Config;
        Spec v2Grouped = DeepseekCheckpoints.v2Lite().withMethod("group_limited_greedy", 4, 2);
        Function<Spec, ObjectNode> halves = s -> DeepseekCheckpoints.transformers5Config(s)
                .put("rope_interleave", false);
        // factor 40 over 64 original positions: the correction range falls inside the few rotary dimensions
        Function<Spec, ObjectNode> yarnLite = s -> DeepseekCheckpoints.withYarn(
                DeepseekCheckpoints.releasedConfig(s), 40, 0.707, 0.707, 64);
        Function<Spec, ObjectNode> yarnV3 = s -> DeepseekCheckpoints.withYarn(
                DeepseekCheckpoints.transformers5Config(s), 40, 1.0, 0.5, 64);
        return Stream.of(
                Arguments.of("V3 released", DeepseekCheckpoints.v3(), released),
                Arguments.of("V3 transformers 5", DeepseekCheckpoints.v3(), transformers5),
                Arguments.of("V2-Lite released", DeepseekCheckpoints.v2Lite(), released),
                Arguments.of("V2-Lite transformers 5", DeepseekCheckpoints.v2Lite(), transformers5),
                Arguments.of("V2 group_limited_greedy", v2Grouped, released),
                Arguments.of("V3 rope_interleave false", DeepseekCheckpoints.v3(), halves),
                // V2-Lite's released YaRN (mscale = mscale_all_dim: cos/sin unscaled, scores times mscale^2)
                Arguments.of("V2-Lite released YaRN", DeepseekCheckpoints.v2Lite(), yarnLite),
                // unequal mscales also scale cos and sin
                Arguments.of("V3 transformers 5 YaRN", DeepseekCheckpoints.v3(), yarnV3),
                // biases on q_a_proj (FP8 weights, BF16 biases), kv_a_proj_with_mqa and o_proj
                Arguments.of("V3 attention_bias", DeepseekCheckpoints.v3().withAttentionBias(), released),
                // no q_a_proj: biases on kv_a_proj_with_mqa and o_proj only, never on q_proj
                Arguments.of("V2-Lite attention_bias", DeepseekCheckpoints.v2Lite().withAttentionBias(),
                        transformers5),
                // biases on the dense layer's MLP and the shared experts, not on the routed experts
                Arguments.of("V2-Lite mlp_bias", DeepseekCheckpoints.v2Lite().withMlpBias(), transformers5));
    }

    /**
     * The biases of the checkpoints above matter: without them (the same weights, attention_bias and mlp_bias false)
     * some token of some layer is sent to other experts.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("biasedCheckpoints")
    void biasesChangeWhereTheSameWeightsRoute(String name, Spec biased) throws Exception {
        assertThat(routing(biased, "with")).as(name).isNotEqualTo(routing(biased.withoutBiases(), "without"));
    }

    static Stream<Arguments> biasedCheckpoints() {
        return Stream.of(Arguments.of("V3 attention_bias", DeepseekCheckpoints.v3().withAttentionBias()),
                Arguments.of("V2-Lite attention_bias", DeepseekCheckpoints.v2Lite().withAttentionBias()),
                Arguments.of("V2-Lite mlp_bias", DeepseekCheckpoints.v2Lite().withMlpBias()));
    }

    /** The expert ids of every token and MoE layer of one prompt, in order. */
    private List<List<Integer>> routing(Spec spec, String folder) throws Exception {
        Path at = dir.resolve(folder);
        Files.createDirectories(at);
        DeepseekCheckpoints.write(at, spec, DeepseekCheckpoints.transformers5Config(spec), 11);
        var ids = new ArrayList<List<Integer>>();
        try (var checkpoint = MoeCheckpoint.open(at); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            ForwardResult result = sequence.forward(MoeModelTest.tokens("Latent attention?"));
            for (int t = 0; t < result.tokens(); t++) {
                for (var decision : result.decisions(t)) {
                    ids.add(Arrays.stream(decision.expertIds()).boxed().toList());
                }
            }
        }
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void routingWeightsEntropyLogitsAndGreedyTokensMatchTheReference(String name, Spec spec,
                                                                     Function<Spec, ObjectNode> config)
            throws Exception {
        DeepseekCheckpoints.write(dir, spec, config.apply(spec), 11);
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint)) {
            assertThat(checkpoint.config().moeLayers()).containsExactly(1, 2);
            assertMatchesReference(checkpoint, model, name);
        }
    }

    @Test
    void fp8ExpertsMaterialisedByAnExpertCacheOfTwoGiveTheReferenceResults() throws Exception {
        Spec spec = DeepseekCheckpoints.v3();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), 11);
        var accesses = new ArrayList<ExpertAccess>();
        try (var checkpoint = MoeCheckpoint.open(dir);
             var model = MoeModel.load(checkpoint, new Offloading(2, CachePolicy.LRU, accesses::add))) {
            assertMatchesReference(checkpoint, model, "V3 offloaded");
            assertThat(accesses).isNotEmpty();
            ExpertCache cache = model.expertCache().orElseThrow();
            assertThat(cache.misses()).isGreaterThan(2);
            for (int layer : checkpoint.config().moeLayers()) {
                assertThat(cache.residentIn(layer)).isEqualTo(2);
            }
        }
    }

    /** The captured weights are the ones applied: normalised unbiased sigmoid scores times routed_scaling_factor. */
    @Test
    void v3CapturedWeightsSumToTheRoutedScalingFactorAndV2LiteWeightsAreRawProbabilities() throws Exception {
        Spec v3 = DeepseekCheckpoints.v3();
        DeepseekCheckpoints.write(dir, v3, DeepseekCheckpoints.releasedConfig(v3), 11);
        try (var checkpoint = MoeCheckpoint.open(dir); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            for (var decision : sequence.forward(MoeModelTest.tokens("sum")).decisions(0)) {
                assertThat((double) decision.weights()[0] + decision.weights()[1]).isCloseTo(2.5, within(1e-5));
                assertThat(decision.routerEntropy()).isBetween(0f, (float) Math.log(8) + 1e-6f);
            }
        }
        Path lite = dir.resolve("lite");
        Files.createDirectories(lite);
        Spec v2 = DeepseekCheckpoints.v2Lite();
        DeepseekCheckpoints.write(lite, v2, DeepseekCheckpoints.releasedConfig(v2), 11);
        try (var checkpoint = MoeCheckpoint.open(lite); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            for (var decision : sequence.forward(MoeModelTest.tokens("sum")).decisions(0)) {
                assertThat((double) decision.weights()[0] + decision.weights()[1]).isLessThan(1.0);
                assertThat(decision.weights()[0]).isGreaterThanOrEqualTo(decision.weights()[1]);
            }
        }
    }

    /** One rule per load: the checkpoint routes by the very rule whose correction-bias tensors it expects. */
    @Test
    void theCheckpointRoutesByTheRuleItsConfigExpectsTensorsFor() throws Exception {
        Spec spec = DeepseekCheckpoints.v3();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), 11);
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            assertThat(checkpoint.routerRule()).isSameAs(checkpoint.config().deepseek().router());
            assertThat(checkpoint.routerRule().needsCorrectionBias()).isTrue();
        }
    }

    @Test
    void theMultiTokenPredictionLayerOnDiskIsSkippedAndSaidSo() throws Exception {
        Spec spec = DeepseekCheckpoints.v3();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), 11);
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            assertThat(checkpoint.skipped()).hasValueSatisfying(note -> assertThat(note)
                    .contains("multi-token-prediction layer", "model.layers.3.*", "num_nextn_predict_layers"));
            assertThat(checkpoint.identity().numLayers()).isEqualTo(3);
        }
    }

    /** The count from config.json (ParameterCounts) against the tensors the decoder reads (block scales aside). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void theParameterCountOfTheConfigIsTheElementCountOfEveryDecoderTensor(String name, Spec spec,
                                                                           Function<Spec, ObjectNode> config)
            throws Exception {
        DeepseekCheckpoints.write(dir, spec, config.apply(spec), 11);
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            MoeConfig c = checkpoint.config();
            long elements = DecoderTensors.expected(c).values().stream()
                    .mapToLong(shape -> Arrays.stream(shape).reduce(1, (a, b) -> a * b)).sum();
            assertThat(checkpoint.identity().totalParameters()).as(name).isEqualTo(elements);
            long expert = 3L * c.hiddenSize() * c.intermediateSize();
            assertThat(checkpoint.identity().activeParameters()).as(name)
                    .isEqualTo(elements - (long) c.moeLayers().size() * (c.numExperts() - c.topK()) * expert);
        }
    }

    private static void assertMatchesReference(MoeCheckpoint checkpoint, MoeModel model, String name) {
        MoeConfig config = checkpoint.config();
        for (String prompt : List.of("Latent attention?", "x")) {
            var reference = new DeepseekReference(checkpoint);
            try (Sequence sequence = model.newSequence()) {
                int[] input = MoeModelTest.tokens(prompt);
                for (int step = 0; step <= DECODE_STEPS; step++) {
                    ForwardResult actual = sequence.forward(input);
                    ReferenceDecoder.Step expected = reference.forward(input);
                    String where = name + " '" + prompt + "' step " + step;
                    ReferenceAssertions.assertSameStep(actual, expected, config, where);
                    assertThat(actual.argmax()).as(where).isEqualTo(ReferenceAssertions.argmax(expected.lastLogits()));
                    input = new int[] {actual.argmax()};
                }
            }
        }
    }
}
