package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoTokenizer;
import io.moescope.probe.reference.ReferenceDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoeModelTest {

    private static final List<String> PROMPTS = List.of("Hello, experts!", "a",
            "Mixture-of-Experts routes every token to two of eight experts.");
    private static final int DECODE_STEPS = 6;

    @TempDir
    static Path dir;
    static MoeCheckpoint checkpoint;
    static MoeModel model;

    @BeforeAll
    static void loadDemoModel() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, DemoProgress.NONE);
        checkpoint = MoeCheckpoint.open(dir);
        model = MoeModel.load(checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
        checkpoint.close();
    }

    @Test
    void topKIdsWeightsEntropyAndLogitsMatchTheReferenceForPrefillAndDecode() {
        for (String prompt : PROMPTS) {
            var reference = new ReferenceDecoder(checkpoint);
            try (Sequence sequence = model.newSequence()) {
                int[] input = tokens(prompt);
                for (int step = 0; step <= DECODE_STEPS; step++) {
                    ForwardResult actual = sequence.forward(input);
                    ReferenceDecoder.Step expected = reference.forward(input);
                    ReferenceAssertions.assertSameStep(actual, expected, checkpoint.config(), prompt + " step " + step);
                    input = new int[] {actual.argmax()};
                }
            }
        }
    }

    @Test
    void aStepLeavesNoArraysInTheModelsManager() {
        int before = model.managedArrays();
        try (Sequence sequence = model.newSequence()) {
            ForwardResult result = sequence.forward(tokens("leak check"));
            for (int i = 0; i < 3; i++) {
                result = sequence.forward(new int[] {result.argmax()});
            }
            assertThat(sequence.length()).isEqualTo(tokens("leak check").length + 3);
        }
        assertThat(model.managedArrays()).isEqualTo(before);
    }

    @Test
    void prefillInOneStepRoutesLikeFeedingTheSameTokensOneByOne() {
        int[] prompt = tokens("one step or many");
        ForwardResult batched;
        try (Sequence sequence = model.newSequence()) {
            batched = sequence.forward(prompt);
        }
        try (Sequence sequence = model.newSequence()) {
            for (int t = 0; t < prompt.length; t++) {
                ForwardResult single = sequence.forward(new int[] {prompt[t]});
                for (int l = 0; l < batched.layers().size(); l++) {
                    assertThat(single.decisions(0).get(l).expertIds())
                            .isEqualTo(batched.decisions(t).get(l).expertIds());
                }
            }
        }
    }

    @Test
    void aTokenIdOutsideTheVocabularyIsRejectedBeforeTheEngineRuns() {
        try (Sequence sequence = model.newSequence()) {
            assertThatThrownBy(() -> sequence.forward(new int[] {1, 259}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("token id 259 is outside the vocabulary of 259");
            assertThat(sequence.length()).isZero();
        }
    }

    @Test
    void aStepBeyondTheContextLengthIsRejected() {
        try (Sequence sequence = model.newSequence()) {
            assertThatThrownBy(() -> sequence.forward(new int[4097]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sequence would reach 4097 tokens, more than max_position_embeddings 4096");
        }
    }

    /** The demo tokenizer's ids for a prompt: {@code <s>} then one id per UTF-8 byte. */
    static int[] tokens(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length + 1];
        ids[0] = DemoTokenizer.BOS_ID;
        for (int i = 0; i < bytes.length; i++) {
            ids[i + 1] = DemoTokenizer.FIRST_BYTE_ID + (bytes[i] & 0xFF);
        }
        return ids;
    }
}
