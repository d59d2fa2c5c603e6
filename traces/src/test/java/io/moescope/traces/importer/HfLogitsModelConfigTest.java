package io.moescope.traces.importer;

import static io.moescope.traces.importer.HfLogitsImporterTest.logits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.events.RouterDecision;
import io.moescope.traces.engine.EngineFixtures;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ReleasedConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hf-logits with {@code --model-config}: the config's router rule recomputes each decision. The tiny DeepSeek-V3
 * config routes 8 experts in 2 groups of 4, keeps 1 group, k = 2, norm_topk_prob, routed_scaling_factor 2.5; layers 1
 * and 2 are MoE.
 */
class HfLogitsModelConfigTest {

    private static final String EIGHT_ZEROS = "[0,0,0,0,0,0,0,0]";
    /** Lifts experts 5 and 6 (group 1) above the others, whose sigmoid scores are all 0.5 at logit 0. */
    private static final String BIAS_OF_LAYER_1 = "{\"type\":\"meta\",\"format\":\"hf-router-logits\","
            + "\"e_score_correction_bias\":{\"1\":[0,0,0,0,0,0.1,0.2,0]}}";

    @TempDir
    Path dir;

    @Test
    void deepSeekV3BiasChoosesTheExpertsButTheWeightsAreTheUnbiasedScores() throws IOException {
        var sink = new CollectingSink();
        importLogits(EngineFixtures.config(), null, sink, BIAS_OF_LAYER_1, logits(0, 1, EIGHT_ZEROS));
        RouterDecision d = sink.tokens.get(0).decisions().get(0);
        // biased 0.7 (6) and 0.6 (5): group 1 sums 1.3 against 1.0; weights 0.5 / (0.5 + 0.5) x 2.5 each
        assertThat(d.expertIds()).containsExactly(6, 5);
        assertThat(d.weights()).containsExactly(1.25f, 1.25f);
        // the unbiased scores, all 0.5, normalised over the 8 experts
        assertThat(d.routerEntropy()).isCloseTo((float) Math.log(8), within(1e-6f));
    }

    @Test
    void aNoauxTcRowOfALayerWithoutCorrectionBiasIsRejectedNamingLayerAndKey() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLogits(EngineFixtures.config(), null, sink, BIAS_OF_LAYER_1,
                logits(0, 1, EIGHT_ZEROS), logits(0, 2, EIGHT_ZEROS));
        assertThat(report.rowsRejected()).isEqualTo(1);
        assertThat(report.firstRejections().get(0).reason()).isEqualTo("layer 2: topk_method noaux_tc chooses "
                + "experts with the layer's e_score_correction_bias, which the meta line's \"e_score_correction_bias\""
                + " does not give for layer 2");
    }

    @Test
    void aCorrectionBiasOfOtherThanNValuesIsRejectedNamingLayerAndCounts() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLogits(EngineFixtures.config(), null, sink, BIAS_OF_LAYER_1.replace(
                "[0,0,0,0,0,0.1,0.2,0]", "[0,0]"), logits(0, 1, EIGHT_ZEROS), logits(1, 1, EIGHT_ZEROS),
                BIAS_OF_LAYER_1, logits(2, 1, EIGHT_ZEROS));
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason).containsOnly(
                "\"e_score_correction_bias\" of layer 1 has 2 values but the model has 8 experts");
        assertThat(report.rowsRejected()).isEqualTo(2);
    }

    @Test
    void aMetaLineWhoseCorrectionBiasIsNotKeyedByLayerIsRejectedNamingTheKey() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLogits(EngineFixtures.config(), null, sink, BIAS_OF_LAYER_1.replace("\"1\"",
                "\"one\""), BIAS_OF_LAYER_1, logits(0, 1, EIGHT_ZEROS));
        assertThat(report.firstRejections().get(0).reason()).isEqualTo("\"e_score_correction_bias\" has the key "
                + "\"one\", not a layer index (an integer >= 0)");
        assertThat(sink.tokens).hasSize(1);
    }

    @Test
    void gptOssTakesTheFourLargestLogitsThenTheirSoftmax() throws IOException {
        var sink = new CollectingSink();
        String logits = "[0,3,-1,2,1,-2,3,0" + ",0".repeat(24) + "]";
        importLogits(ReleasedConfigs.read(ReleasedConfigs.GPT_OSS_20B, "gpt-oss-20b"), null, sink,
                logits(0, 0, logits));
        RouterDecision d = sink.tokens.get(0).decisions().get(0);
        assertThat(d.expertIds()).containsExactly(1, 6, 3, 4);
        // softmax(3, 3, 2, 1)
        assertThat(d.weights()).containsExactly(new float[] {0.3994863f, 0.3994863f, 0.14696279f, 0.05406459f},
                within(1e-7f));
    }

    @Test
    void aNormalisationThatContradictsTheConfigIsRefused() {
        assertThatThrownBy(() -> importLogits(EngineFixtures.config(), false, new CollectingSink(), BIAS_OF_LAYER_1,
                logits(0, 1, EIGHT_ZEROS))).hasMessage("logits.jsonl: no valid routing rows; line 2: normalise-top-k "
                + "false contradicts the model config, whose DeepseekV3ForCausalLM router normalises: true");
    }

    @Test
    void aKnownModelWhoseRouterIsNotSoftmaxTopKNeedsItsConfig() {
        assertThatThrownBy(() -> importLogits(null, null, new CollectingSink(), "{\"type\":\"meta\",\"format\":\"hf-router-logits\","
                + "\"model_id\":\"deepseek-ai/DeepSeek-V3\"}", logits(0, 1, EIGHT_ZEROS)))
                .hasMessage("logits.jsonl: no valid routing rows; line 2: deepseek-ai/DeepSeek-V3 is a DeepseekV3ForCausalLM, whose router is not a "
                        + "softmax top-k: pass --model-config (its config.json) to apply its rule");
    }

    private ImportReport importLogits(ModelConfig config, Boolean normalise, CollectingSink sink, String... lines)
            throws IOException {
        Path file = Files.write(dir.resolve("logits.jsonl"), List.of(lines));
        var hints = new ModelHints(null, null, null, null, null, normalise, config);
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults()
                .withHints(hints), sink, rows -> { });
    }
}
