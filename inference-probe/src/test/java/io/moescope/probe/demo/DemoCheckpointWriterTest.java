package io.moescope.probe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.SafetensorsFile;
import io.moescope.probe.checkpoint.TensorInfo;
import io.moescope.probe.model.ForwardResult;
import io.moescope.probe.model.LayerRouting;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Sequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DemoCheckpointWriterTest {

    private static final int TENSORS = 1 + 4 * (7 + 8 * 3) + 2;

    @TempDir
    static Path demo;

    @TempDir
    Path other;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    @Test
    void theSameSpecWritesTheSameBytes() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(other, DemoProgress.NONE);
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertThat(Files.readAllBytes(other.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(demo.resolve(file)));
        }
    }

    @Test
    void progressReportsEveryTensorOnceUpToTheTotal() throws Exception {
        var reports = new ArrayList<int[]>();
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(other, (w, t) -> reports.add(new int[] {w, t}));
        assertThat(reports).hasSize(TENSORS);
        for (int i = 0; i < TENSORS; i++) {
            assertThat(reports.get(i)).containsExactly(i + 1, TENSORS);
        }
    }

    @Test
    void theTokenizerLoadsOfflineAndEncodesBosThenOneIdPerUtf8Byte() throws Exception {
        try (var tokenizer = HuggingFaceTokenizer.newInstance(demo.resolve("tokenizer.json"))) {
            long[] ids = tokenizer.encode("Hi é").getIds();
            assertThat(ids).containsExactly(DemoTokenizer.BOS_ID, 3 + 'H', 3 + 'i', 3 + ' ', 3 + 0xC3, 3 + 0xA9);
            assertThat(tokenizer.decode(ids, true)).isEqualTo("Hi é");
        }
    }

    @Test
    void routingIsUnevenButEveryExpertIsUsedInEveryLayer() throws Exception {
        int[][] counts = new int[4][8];
        try (var checkpoint = MoeCheckpoint.open(demo); var model = MoeModel.load(checkpoint);
             var tokenizer = HuggingFaceTokenizer.newInstance(demo.resolve("tokenizer.json"))) {
            for (String prompt : List.of("The quick brown fox jumps over the lazy dog.",
                    "Mixture-of-Experts models route each token to a few experts.", "1 2 3 4 5 6 7 8 9 10")) {
                long[] ids = tokenizer.encode(prompt).getIds();
                int[] input = new int[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    input[i] = (int) ids[i];
                }
                try (Sequence sequence = model.newSequence()) {
                    ForwardResult result = sequence.forward(input);
                    for (LayerRouting layer : result.layers()) {
                        for (int id : layer.expertIds()) {
                            counts[layer.layer()][id]++;
                        }
                    }
                }
            }
        }
        for (int l = 0; l < counts.length; l++) {
            int[] layer = counts[l];
            double mean = Arrays.stream(layer).sum() / (double) layer.length;
            double maxVio = (Arrays.stream(layer).max().orElseThrow() - mean) / mean;
            assertThat(Arrays.stream(layer).min().orElseThrow()).as("layer %d least-used expert", l).isPositive();
            assertThat(maxVio).as("layer %d MaxVio over %s", l, Arrays.toString(layer)).isGreaterThan(0.5);
        }
    }

    /** Small versions of the gpt-oss-like and DeepSeek-V3-like shapes: their formats, not their size. */
    static Stream<Arguments> releasedFormats() {
        return Stream.of(Arguments.of("gpt-oss", DemoShape.gptOss(64, 64, 3, 8, 2)),
                Arguments.of("deepseek-v3", DemoShape.deepseekV3(128, 32, 3, 16, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedFormats")
    void releasedFormatsAreWrittenByteForByteTheSameFromTheSameSeed(String name, MoeConfig config) throws Exception {
        Path first = other.resolve("first");
        Path second = other.resolve("second");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(first, config, DemoProgress.NONE);
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(second, config, DemoProgress.NONE);
        for (String file : List.of("config.json", "model.safetensors")) {
            assertThat(Files.readAllBytes(second.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedFormats")
    void releasedFormatsLoadInTheProbeAndRouteEveryTokenToDistinctExpertsByUntiedWeights(String name,
            MoeConfig config) throws Exception {
        var reports = new ArrayList<Integer>();
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(other, config, (w, t) -> reports.add(t - w));
        assertThat(reports).last().isEqualTo(0);
        try (var checkpoint = MoeCheckpoint.open(other); var model = MoeModel.load(checkpoint);
             Sequence sequence = model.newSequence()) {
            assertThat(checkpoint.config()).isEqualTo(config);
            ForwardResult result = sequence.forward(tokens("Router decisions, in the released format."));
            assertThat(result.layers()).extracting(LayerRouting::layer).containsExactlyElementsOf(config.moeLayers());
            for (LayerRouting layer : result.layers()) {
                var used = new HashSet<Integer>();
                for (int t = 0; t < layer.tokens(); t++) {
                    float[] w = Arrays.copyOfRange(layer.weights(), t * layer.topK(), (t + 1) * layer.topK());
                    for (int i = 1; i < w.length; i++) {
                        assertThat(w[i]).as("%s layer %d token %d", name, layer.layer(), t).isNotEqualTo(w[i - 1]);
                    }
                    for (int r = 0; r < layer.topK(); r++) {
                        used.add(layer.expert(t, r));
                    }
                }
                assertThat(used).as("%s layer %d", name, layer.layer()).hasSizeGreaterThan(config.topK());
            }
        }
    }

    @Test
    void gptOssExpertsAreMxfp4BytesAndDeepseekLinearWeightsFp8WithBlockScales() throws Exception {
        Path gptOss = other.resolve("gpt-oss");
        Path deepseek = other.resolve("deepseek");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(gptOss, DemoShape.gptOss(64, 64, 3, 8, 2),
                DemoProgress.NONE);
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(deepseek, DemoShape.deepseekV3(128, 32, 3, 16, 4),
                DemoProgress.NONE);
        try (var file = SafetensorsFile.open(gptOss.resolve("model.safetensors"))) {
            assertThat(file.tensor("model.layers.1.mlp.experts.gate_up_proj_blocks")).get()
                    .extracting(TensorInfo::dtype).isEqualTo(DType.U8);
            assertThat(file.tensor("model.layers.1.mlp.experts.down_proj_scales")).get()
                    .extracting(TensorInfo::dtype).isEqualTo(DType.U8);
            assertThat(file.tensor("model.layers.1.self_attn.sinks")).get()
                    .extracting(TensorInfo::dtype).isEqualTo(DType.BF16);
        }
        try (var file = SafetensorsFile.open(deepseek.resolve("model.safetensors"))) {
            for (String weight : List.of("model.layers.0.mlp.gate_proj.weight",
                    "model.layers.1.self_attn.q_a_proj.weight", "model.layers.2.mlp.experts.15.down_proj.weight",
                    "model.layers.2.mlp.shared_experts.up_proj.weight")) {
                assertThat(file.tensor(weight)).as(weight).get().extracting(TensorInfo::dtype).isEqualTo(DType.F8_E4M3);
                assertThat(file.tensor(weight + "_scale_inv")).as(weight).get().extracting(TensorInfo::dtype)
                        .isEqualTo(DType.F32);
            }
            assertThat(file.tensor("model.layers.1.mlp.gate.weight")).get()
                    .extracting(TensorInfo::dtype).isEqualTo(DType.BF16);
            assertThat(file.tensor("model.layers.1.mlp.gate.e_score_correction_bias")).get()
                    .extracting(TensorInfo::dtype).isEqualTo(DType.F32);
        }
    }

    /** The demo tokenizer's ids: BOS, then 3 + each UTF-8 byte. */
    private static int[] tokens(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length + 1];
        ids[0] = DemoTokenizer.BOS_ID;
        for (int i = 0; i < bytes.length; i++) {
            ids[i + 1] = 3 + (bytes[i] & 0xFF);
        }
        return ids;
    }
}
