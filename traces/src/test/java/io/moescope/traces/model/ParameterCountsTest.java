package io.moescope.traces.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Each released config's exact count from the formula, and the published figure it rounds to. Published: OpenAI's
 * gpt-oss model card (116.83B / 5.13B and 20.91B / 3.61B), DeepSeek-V3's report (671B / 37B), DeepSeek-V2's (236B /
 * 21B) and V2-Lite's (15.7B / 2.4B): these two publishers count active parameters without the input embedding.
 * Mistral's Mixtral 8x7B (46.7B / 12.9B), the OLMoE paper (6.9B / 1.3B), Qwen1.5-MoE-A2.7B's card (14.3B / 2.7B)
 * and Qwen3-30B-A3B's (30.5B / 3.3B) count it.
 */
class ParameterCountsTest {

    private static ParameterCounts counts(String json) {
        return ParameterCounts.of(ReleasedConfigs.read(json, "model"));
    }

    @Test
    void gptOss120bHas116_83BillionOfWhich5_13BillionAreActiveWithoutTheInputEmbedding() {
        ParameterCounts c = counts(ReleasedConfigs.GPT_OSS_120B);
        // per layer: 128 experts of 2880 x 5760 + 5760 + 2880 x 2880 + 2880 = 24,891,840; attention 26,550,144
        // (q, k, v, o with biases, 64 sinks); router 128 x 2880 + 128; norms 2 x 2880. 36 layers, embedding and
        // unembedding 201,088 x 2880 each, final norm 2880.
        assertThat(c.total()).isEqualTo(116_829_156_672L);
        assertThat(c.active()).isEqualTo(116_829_156_672L - 36L * 124 * 24_891_840).isEqualTo(5_711_982_912L);
        assertThat(c.activeWithoutEmbedding()).isEqualTo(5_711_982_912L - 201_088L * 2880)
                .isEqualTo(5_132_849_472L);
    }

    @Test
    void gptOss20bHas20_91BillionOfWhich3_61BillionAreActiveWithoutTheInputEmbedding() {
        ParameterCounts c = counts(ReleasedConfigs.GPT_OSS_20B);
        assertThat(c.total()).isEqualTo(20_914_757_184L);
        assertThat(c.active()).isEqualTo(20_914_757_184L - 24L * 28 * 24_891_840);
        assertThat(c.activeWithoutEmbedding()).isEqualTo(3_608_307_264L);
    }

    @Test
    void deepSeekV3Has671BillionOfWhich37BillionAreActiveLeavingOutTheMtpLayer() {
        ParameterCounts c = counts(ReleasedConfigs.DEEPSEEK_V3);
        // MLA 187,107,328 + norms 14,336 per layer x 61; 3 dense MLPs of 3 x 7168 x 18432; 58 MoE layers of 257
        // experts of 3 x 7168 x 2048 (256 routed + 1 shared) and a router of 256 x 7168 + 256 biases;
        // 2 x 129,280 x 7168 embedding and head, final norm 7168.
        assertThat(c.total()).isEqualTo(671_026_419_200L);
        assertThat(c.active()).isEqualTo(671_026_419_200L - 58L * 248 * 44_040_192).isEqualTo(37_552_297_472L);
        assertThat(c.activeWithoutEmbedding()).isEqualTo(36_625_618_432L);
    }

    @Test
    void deepSeekV2Has236BillionOfWhich21BillionAreActive() {
        ParameterCounts c = counts(ReleasedConfigs.DEEPSEEK_V2);
        assertThat(c.total()).isEqualTo(235_741_434_880L);
        // 59 MoE layers skip 154 experts of 3 x 5120 x 1536
        assertThat(c.active()).isEqualTo(235_741_434_880L - 59L * 154 * 23_592_960).isEqualTo(21_375_800_320L);
        assertThat(c.activeWithoutEmbedding()).isEqualTo(20_851_512_320L);
    }

    @Test
    void deepSeekV2LiteWithoutQueryCompressionHas15_7BillionOfWhich2_4BillionAreActiveWithoutTheInputEmbedding() {
        ParameterCounts c = counts(ReleasedConfigs.DEEPSEEK_V2_LITE);
        assertThat(c.total()).isEqualTo(15_706_484_224L);
        // 26 MoE layers skip 58 experts of 3 x 2048 x 1408
        assertThat(c.active()).isEqualTo(15_706_484_224L - 26L * 58 * 8_650_752).isEqualTo(2_661_150_208L);
        // DeepSeek's published 2.4B leaves out the 102,400 x 2048 input embedding, as OpenAI does
        assertThat(c.activeWithoutEmbedding()).isEqualTo(2_661_150_208L - 102_400L * 2048)
                .isEqualTo(2_451_435_008L);
    }

    @Test
    void mixtral8x7bHas46_7BillionOfWhich12_9BillionAreActive() {
        ParameterCounts c = counts(ReleasedConfigs.MIXTRAL_8X7B);
        assertThat(c.total()).isEqualTo(46_702_792_704L);
        assertThat(c.active()).isEqualTo(46_702_792_704L - 32L * 6 * 3 * 4096 * 14336).isEqualTo(12_879_925_248L);
    }

    @Test
    void olmoe1b7bHas6_9BillionOfWhich1_3BillionAreActive() {
        // the probe's count of the checkpoint's tensors gives the same (HfConfigsTest)
        ParameterCounts c = counts(ReleasedConfigs.OLMOE_1B_7B);
        assertThat(c.total()).isEqualTo(6_919_161_856L);
        assertThat(c.active()).isEqualTo(1_282_017_280L);
    }

    @Test
    void qwen15MoeCountsItsSharedExpertAndQkvBiasesAsActive() {
        ParameterCounts c = counts(ReleasedConfigs.QWEN15_MOE_A27B);
        assertThat(c.total()).isEqualTo(14_315_784_192L);
        assertThat(c.active()).isEqualTo(2_689_173_504L);
    }

    @Test
    void qwen3MoeHas30_5BillionOfWhich3_3BillionAreActive() {
        ParameterCounts c = counts(ReleasedConfigs.QWEN3_30B_A3B);
        assertThat(c.total()).isEqualTo(30_532_122_624L);
        // 48 layers skip 120 experts of 3 x 2048 x 768; Qwen's card says 3.3B for this 3.35B
        assertThat(c.active()).isEqualTo(30_532_122_624L - 48L * 120 * 4_718_592).isEqualTo(3_353_032_704L);
    }

    @Test
    void theDescriptionUsesTheUnitsModelCardsUse() {
        assertThat(counts(ReleasedConfigs.GPT_OSS_120B).describe()).isEqualTo("116.83B parameters, 5.71B active per "
                + "token (5.13B without the input embedding)");
    }

    @Test
    void aTiedLmHeadIsCountedOnce() {
        ParameterCounts untied = counts(ReleasedConfigs.MIXTRAL_8X7B);
        ParameterCounts tied = counts(ReleasedConfigs.MIXTRAL_8X7B.replace("\"tie_word_embeddings\": false",
                "\"tie_word_embeddings\": true"));
        assertThat(untied.total() - tied.total()).isEqualTo(32000L * 4096);
    }

    @Test
    void aMissingSizeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> counts(ReleasedConfigs.DEEPSEEK_V3.replace("\"kv_lora_rank\": 512,", "")))
                .hasMessage("config.json of model: \"kv_lora_rank\" is missing");
    }

    @Test
    void anArchitectureWhoseTensorsAreNotKnownIsRefusedByName() {
        assertThatThrownBy(() -> counts(ReleasedConfigs.GLM_45_AIR)).hasMessageStartingWith(
                "config.json of model: the parameters of Glm4MoeForCausalLM are not known; known: ");
    }
}
