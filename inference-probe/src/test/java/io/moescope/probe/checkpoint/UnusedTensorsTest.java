package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tensor the forward pass would not read is refused by name: it means the config and the weights disagree. */
class UnusedTensorsTest {

    @TempDir
    Path dir;

    @Test
    void anOutputProjectionBiasInAQwen2MoeCheckpointIsRefusedBecauseQwen2MoeHasNone() throws Exception {
        MoeConfig qwen2 = config("Qwen2MoeForCausalLM").with("Qwen2MoeForCausalLM", 48, 24, false, true,
                List.of(0, 1));
        write(qwen2, "model.layers.0.self_attn.o_proj.bias", new long[] {32});
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("model.layers.0.self_attn.o_proj.bias is in the checkpoint but not used by"
                        + " Qwen2MoeForCausalLM with this config.json (" + dir.resolve("model.safetensors") + ")");
    }

    @Test
    void attentionBiasesOfAQwen3MoeConfigWithoutAttentionBiasAreRefused() throws Exception {
        MoeConfig qwen3 = config("Qwen3MoeForCausalLM").with("Qwen3MoeForCausalLM", 48, 0, true, false,
                List.of(0, 1));
        write(qwen3, "model.layers.1.self_attn.o_proj.bias", new long[] {32});
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("model.layers.1.self_attn.o_proj.bias is in the checkpoint but not used by"
                        + " Qwen3MoeForCausalLM with this config.json (" + dir.resolve("model.safetensors") + ")");
    }

    @Test
    void anLmHeadBesideTiedEmbeddingsIsRefused() throws Exception {
        MoeConfig tied = new MoeConfig("MixtralForCausalLM", 32, 16, 2, 4, 2, 8, 4, 2, DemoTokenizer.VOCAB_SIZE, 1e-5,
                1e6, 512, true, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
        write(tied, "lm_head.weight", new long[] {DemoTokenizer.VOCAB_SIZE, 32});
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("lm_head.weight is in the checkpoint but not used by MixtralForCausalLM with this"
                        + " config.json (" + dir.resolve("model.safetensors") + ")");
    }

    private static MoeConfig config(String architecture) {
        return new MoeConfig(architecture, 32, 16, 2, 4, 2, 8, 4, 2, DemoTokenizer.VOCAB_SIZE, 1e-6, 1e6, 512, false,
                DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
    }

    /** Writes the checkpoint {@code config} describes as transformers 5 saves it, plus one more tensor. */
    private void write(MoeConfig config, String extra, long[] shape) throws Exception {
        Path source = dir.resolve("source");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(source, config, ConfigWriter.Layout.TRANSFORMERS_5,
                DemoProgress.NONE);
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(source.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (var in = SafetensorsFile.open(source.resolve("model.safetensors"))) {
            var declarations = new ArrayList<Declaration>();
            for (TensorInfo info : in.tensors().values()) {
                declarations.add(new Declaration(info.name(), DType.F32, info.shape()));
            }
            declarations.add(new Declaration(extra, DType.F32, shape));
            try (var out = SafetensorsWriter.create(dir.resolve("model.safetensors"), declarations)) {
                for (TensorInfo info : in.tensors().values()) {
                    out.write(info.name(), in.floats(info.name()));
                }
                out.write(extra, new float[(int) (shape[0] * (shape.length > 1 ? shape[1] : 1))]);
            }
        }
    }
}
