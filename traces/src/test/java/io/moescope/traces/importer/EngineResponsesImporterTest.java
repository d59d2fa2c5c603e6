package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import io.moescope.events.TokenRouting;
import io.moescope.traces.engine.EngineFixtures;
import io.moescope.traces.engine.EngineWire;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Saved engine responses in the engines' current wire shapes (vLLM OpenAI base64 {@code .npy}, SGLang raw bytes),
 * through the shared importer contract, with the model's config.json: its dense layer 0 is dropped.
 */
class EngineResponsesImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new RoutedExpertsImporter();
    }

    @Override
    ImportOptions options() {
        return ImportOptions.defaults().withHints(ModelHints.NONE.withModelConfig(EngineFixtures.config()));
    }

    @Override
    List<String> trace() {
        return List.of(EngineFixtures.VLLM_COMPLETION, EngineFixtures.VLLM_CHAT, EngineFixtures.SGLANG_GENERATE);
    }

    @Override
    List<String> expectedTokens() {
        return EngineFixtures.TOKENS;
    }

    @Test
    void theRunsModelIsTheConfigsWithTheDenseLayerLeftOut() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        // embedding and LM head 2 x 256 x 64, final norm 64; per layer MLA 7,440 + norms 128; dense MLP 3 x 64 x 128;
        // per MoE layer 8 + 1 shared experts of 3 x 64 x 32 and the router 8 x 64 + 8 biases. Active: 6 experts
        // fewer in each of the 2 MoE layers.
        assertThat(sink.runs.get(0).model()).isEqualTo(new ModelIdentity("tiny-deepseek-v3",
                "DeepseekV3ForCausalLM", 8, 2, 3, List.of(1, 2), 191_744, 191_744 - 2 * 6 * 6144));
    }

    @Test
    void tokenIdsAreTheInputTokenOfEachPosition() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        assertThat(sink.tokens.stream().filter(t -> t.requestId().equals("cmpl-1")).map(TokenRouting::tokenId))
                .containsExactly(101, 102, 103, 201);
        assertThat(sink.tokens.stream().filter(t -> t.requestId().equals("sg-1")).map(TokenRouting::tokenId))
                .containsExactly(-1, -1, 301);
    }

    @Test
    void withoutAModelConfigAResponseWithZeroRowsIsRejectedByLineSayingToPassTheConfig() throws IOException {
        // An all-MoE response (no zero row) imports; the DeepSeek one, whose dense layer is zeros, is refused.
        String allMoe = "{\"id\":\"cmpl-m\",\"choices\":[{\"index\":0,\"token_ids\":[5],\"routed_experts\":\""
                + EngineWire.vllmNpy(new int[] {2, 2, 2}, 1, 0, 2, 3, 4, 5, 6, 7) + "\"}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}";
        var sink = new CollectingSink();
        ImportReport report = new TraceImport(CLOCK).importFile(write("trace", List.of(allMoe,
                EngineFixtures.VLLM_COMPLETION)), ImportOptions.defaults(), sink, rows -> { });
        assertThat(sink.described()).containsExactly("cmpl-m#0 PREFILL 0:[1, 0] 1:[2, 3]",
                "cmpl-m#1 PREFILL 0:[4, 5] 1:[6, 7]");
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "request cmpl-1, position 0, layer 0 is "
                        + "all zeros: a dense layer of the model; pass --model-config (the model's config.json) so "
                        + "that dense layers are dropped"));
    }

    @Test
    void aTruncatedNpyIsRejectedByLineNamingTheShapesBytesAndTheFilesBytes() throws IOException {
        String full = EngineWire.vllmNpy(new int[] {4, 3, 2}, new int[24]);
        byte[] bytes = java.util.Base64.getDecoder().decode(full);
        String truncated = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes,
                bytes.length - 4));
        assertRejected(EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"[^\"]+\"",
                "\"routed_experts\":\"" + truncated + "\""), "\"choices[0].routed_experts\": .npy shape (4, 3, 2) "
                + "of <i4 needs 96 data bytes but the file holds 92");
    }

    @Test
    void anNpyWithMoreRowsThanTheTokenCountsAllowIsRejectedNamingBoth() throws IOException {
        String fiveRows = EngineWire.vllmNpy(new int[] {5, 3, 2}, 0, 0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 0, 0, 0, 2, 1, 4,
                3, 0, 0, 6, 5, 0, 7, 0, 0, 1, 2, 3, 4);
        assertRejected(EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"[^\"]+\"",
                "\"routed_experts\":\"" + fiveRows + "\""), "\"choices[0].routed_experts\" has 5 rows but prompt 3 "
                + "+ completion 2 - 1 - routed_experts_prompt_start 0 = 4 positions (if the request set "
                + "routed_experts_prompt_start, add it to the saved response)");
    }

    @Test
    void aFortranOrderNpyIsRejectedByName() throws IOException {
        String fortran = java.util.Base64.getEncoder().encodeToString(EngineWire.npy(1, "<i4", true,
                new int[] {4, 3, 2}, EngineWire.littleEndian(4, new int[24])));
        assertRejected(EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"[^\"]+\"",
                "\"routed_experts\":\"" + fortran + "\""), "\"choices[0].routed_experts\": .npy fortran_order True is"
                + " not supported: routed experts are written in C order");
    }

    @Test
    void sglangBytesShortOfTheRowsAreRejectedNamingTheIdsAndTheShape() throws IOException {
        assertRejected(EngineFixtures.sglang("sg-9", "int32", 0, 0, 4, 1, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0, 7, 6, 3),
                "\"meta_info.routed_experts\" holds 17 int32 ids, which do not fill 3 rows (prompt_tokens + "
                        + "completion_tokens - 1 - routed_experts_start_len) of num_hidden_layers 3 x k");
    }

    @Test
    void sglangBytesThatAreNotWholeIdsAreRejected() throws IOException {
        String odd = EngineFixtures.sglang("sg-9", "uint8", 0, 0, 4).replaceFirst("\"routed_experts_dtype\":"
                + "\"uint8\"", "\"routed_experts_dtype\":\"uint16\"");
        assertRejected(odd, "\"meta_info.routed_experts\" holds 3 bytes, not a whole number of uint16 ids");
    }

    @Test
    void anUnknownSglangDtypeIsRejectedNamingTheOnesThereAre() throws IOException {
        assertRejected(EngineFixtures.SGLANG_GENERATE.replace("\"routed_experts\":",
                "\"routed_experts_dtype\":\"int64\",\"routed_experts\":"),
                "routed_experts_dtype 'int64' is not supported: one of int32, uint16, uint8");
    }

    /** {@code bad} as line 2 after a good response: rejected with {@code reason}, the good one imported. */
    private void assertRejected(String bad, String reason) throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of(EngineFixtures.SGLANG_GENERATE, bad), sink);
        assertThat(sink.described()).containsExactlyElementsOf(EngineFixtures.TOKENS.subList(7, 10));
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, reason));
    }
}
