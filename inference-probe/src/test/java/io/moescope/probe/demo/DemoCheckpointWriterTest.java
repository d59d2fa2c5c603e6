package io.moescope.probe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.model.ForwardResult;
import io.moescope.probe.model.LayerRouting;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Sequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
