package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointErrorsTest {

    private static final String ROUTER_1 = "model.layers.1.block_sparse_moe.gate.weight";

    @TempDir
    static Path demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    @Test
    void theDemoCheckpointOpens() {
        try (var checkpoint = MoeCheckpoint.open(demo)) {
            assertThat(checkpoint.config().numExperts()).isEqualTo(8);
        }
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> MoeCheckpoint.open(missing)).isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint directory " + missing + " does not exist");
    }

    @Test
    void aMissingConfigIsNamed() throws Exception {
        copyDemo();
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("config.json is missing: expected " + dir.resolve("config.json"));
    }

    @Test
    void malformedConfigJsonNamesTheFileAndTheParsersLine() throws Exception {
        copyDemo();
        Files.writeString(dir.resolve("config.json"), "{\n  \"hidden_size\": 64,\n  \"oops\"\n}\n");
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("malformed JSON in " + dir.resolve("config.json") + " at line 4");
    }

    @Test
    void anUnknownArchitectureListsTheSupportedOnes() throws Exception {
        copyDemo();
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("MixtralForCausalLM", "JambaForCausalLM"));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("unsupported architecture JambaForCausalLM in " + config
                        + "; supported: MixtralForCausalLM, OlmoeForCausalLM, Qwen2MoeForCausalLM, Qwen3MoeForCausalLM,"
                        + " GptOssForCausalLM, DeepseekV2ForCausalLM, DeepseekV3ForCausalLM");
    }

    @Test
    void aMissingTensorIsNamed() throws Exception {
        copyDemo();
        rewriteWeights(d -> d.name().equals(ROUTER_1) ? null : d);
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("missing tensor " + ROUTER_1 + " in " + dir.resolve("model.safetensors"));
    }

    @Test
    void aWrongShapeNamesTheTensorTheExpectedAndTheActualShape() throws Exception {
        copyDemo();
        rewriteWeights(d -> d.name().equals(ROUTER_1) ? new Declaration(d.name(), d.dtype(), new long[] {64, 8}) : d);
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("tensor " + ROUTER_1 + " in " + dir.resolve("model.safetensors")
                        + " has shape [64, 8] but config.json implies [8, 64]");
    }

    @Test
    void aTruncatedHeaderIsReportedWithTheFile() throws Exception {
        copyDemo();
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("truncated safetensors header in " + weights + ": it declares ")
                .hasMessageEndingWith(" header bytes but 92 bytes follow the length field");
    }

    @Test
    void aFileShorterThanTheLengthFieldIsATruncatedHeader() throws Exception {
        copyDemo();
        Path weights = dir.resolve("model.safetensors");
        Files.write(weights, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("truncated safetensors header in " + weights
                        + ": the file has 3 bytes, fewer than the 8-byte header length");
    }

    @Test
    void truncatedTensorDataIsReportedWithTheTensor() throws Exception {
        copyDemo();
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("truncated safetensors file " + weights + ": tensor lm_head.weight ends at");
    }

    private void copyDemo() throws Exception {
        for (String name : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            Files.copy(demo.resolve(name), dir.resolve(name));
        }
    }

    /** Rewrites the copied weights, declaring each tensor as {@code change} says (null drops it). */
    private void rewriteWeights(UnaryOperator<Declaration> change) throws Exception {
        Path source = demo.resolve("model.safetensors");
        try (var in = SafetensorsFile.open(source)) {
            var declarations = new ArrayList<Declaration>();
            for (TensorInfo info : in.tensors().values()) {
                Declaration d = change.apply(new Declaration(info.name(), DType.F32, info.shape()));
                if (d != null) {
                    declarations.add(d);
                }
            }
            try (var out = SafetensorsWriter.create(dir.resolve("model.safetensors"), declarations)) {
                for (Declaration d : declarations) {
                    out.write(d.name(), in.floats(d.name()));
                }
            }
        }
    }
}
