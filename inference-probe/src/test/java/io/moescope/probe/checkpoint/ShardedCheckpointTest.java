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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    static Path demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
    }

    @Test
    void tensorsAreReadFromTheShardTheIndexNames() throws Exception {
        shard();
        try (var single = MoeCheckpoint.open(demo); var sharded = MoeCheckpoint.open(dir)) {
            for (String name : List.of(DecoderTensors.embedTokens(), DecoderTensors.lmHead(),
                    DecoderTensors.expert(Architecture.MIXTRAL, 3, 7, Projection.DOWN))) {
                assertThat(sharded.floats(name)).as(name).isEqualTo(single.floats(name));
            }
        }
    }

    @Test
    void aMissingShardIsNamed() throws Exception {
        shard();
        Files.delete(dir.resolve(SHARD_2));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("safetensors file " + dir.resolve(SHARD_2) + " does not exist");
    }

    @Test
    void aDirectoryWithoutWeightsSaysWhichFilesItExpected() throws Exception {
        Files.copy(demo.resolve("config.json"), dir.resolve("config.json"));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("no weights in " + dir + ": expected model.safetensors or model.safetensors.index.json");
    }

    /** Splits the demo's tensors in half over two shards and writes the HF index for them. */
    private void shard() throws Exception {
        Files.copy(demo.resolve("config.json"), dir.resolve("config.json"));
        try (var in = SafetensorsFile.open(demo.resolve("model.safetensors"))) {
            var names = new ArrayList<>(in.tensors().keySet());
            var index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
            List<List<String>> halves = List.of(names.subList(0, names.size() / 2),
                    names.subList(names.size() / 2, names.size()));
            for (int s = 0; s < 2; s++) {
                String shard = s == 0 ? SHARD_1 : SHARD_2;
                var declarations = new ArrayList<Declaration>();
                for (String name : halves.get(s)) {
                    declarations.add(new Declaration(name, DType.F32, in.tensor(name).orElseThrow().shape()));
                    index.append('"').append(name).append("\":\"").append(shard).append("\",");
                }
                try (var out = SafetensorsWriter.create(dir.resolve(shard), declarations)) {
                    for (Declaration d : declarations) {
                        out.write(d.name(), in.floats(d.name()));
                    }
                }
            }
            index.setLength(index.length() - 1);
            Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        }
    }
}
