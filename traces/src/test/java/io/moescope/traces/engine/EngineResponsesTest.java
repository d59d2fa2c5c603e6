package io.moescope.traces.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineResponsesTest {

    private static final ResponseContext WITH_CONFIG = new ResponseContext(null, EngineFixtures.config(), null, "l1");

    @Test
    void vllmCompletionRowsArePositionsFromTheFirstPromptTokenWithTheirInputTokenIds() {
        RoutedSequence s = one(EngineFixtures.VLLM_COMPLETION, WITH_CONFIG);
        assertThat(s.requestId()).isEqualTo("cmpl-1");
        assertThat(s.experts().rows()).isEqualTo(4);
        // Position 3 is fed the first completion token (201); the last one (202) never goes through a forward pass.
        assertThat(List.of(s.tokenId(0), s.tokenId(1), s.tokenId(2), s.tokenId(3)))
                .containsExactly(101, 102, 103, 201);
        assertThat(List.of(s.phase(2), s.phase(3))).containsExactly(Phase.PREFILL, Phase.DECODE);
    }

    @Test
    void dropsTheDenseLayerOfTheConfigAndKeepsTheMoeLayers() {
        RoutedSequence s = one(EngineFixtures.VLLM_COMPLETION, WITH_CONFIG);
        List<RouterDecision> decisions = s.decisions(1, s.routedLayers(EngineFixtures.config()));
        assertThat(decisions).extracting(RouterDecision::layer).containsExactly(1, 2);
        assertThat(decisions.get(1).expertIds()).containsExactly(7, 0);
        assertThat(decisions.get(0).weights()).containsExactly(Float.NaN, Float.NaN);
    }

    @Test
    void aRowIsTheTokenAtItsPositionWithItsIdPhaseAndTheMoeLayersDecisions() {
        RoutedSequence s = one(EngineFixtures.VLLM_COMPLETION, WITH_CONFIG);
        TokenRouting token = s.token("run-1", 3, s.routedLayers(EngineFixtures.config()), 1_700_000_000_000_000L);
        assertThat(List.of(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(), token.phase(),
                token.timestampMicros())).containsExactly("run-1", "cmpl-1", 3, 201, Phase.DECODE,
                1_700_000_000_000_000L);
        assertThat(token.decisions()).extracting(RouterDecision::layer).containsExactly(1, 2);
        assertThat(token.decisions().get(0).expertIds()).containsExactly(6, 5);
        assertThat(token.decisions().get(1).expertIds()).containsExactly(0, 7);
    }

    @Test
    void chatPromptRowsComeFirstAndThePromptStartShiftsEveryPosition() {
        RoutedSequence s = one(EngineFixtures.VLLM_CHAT, WITH_CONFIG);
        assertThat(s.firstPosition()).isEqualTo(1);
        assertThat(s.experts().rows()).isEqualTo(3);
        assertThat(s.experts().at(0, 1)).containsExactly(3, 5);
        assertThat(s.experts().at(1, 1)).containsExactly(7, 2);
        assertThat(List.of(s.tokenId(0), s.tokenId(1), s.tokenId(2))).containsExactly(112, 211, 212);
    }

    @Test
    void aPromptStartOnTheCompletionArrayDropsThatManyLeadingRows() {
        // prompt 3 + completion 2 - 1 - start 2 = 2 rows: positions 2 (prefill) and 3 (decode).
        String shifted = EngineFixtures.VLLM_COMPLETION
                .replace(EngineWire.vllmNpy(new int[] {4, 3, 2}, 0, 0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 0, 0, 0, 2, 1, 4,
                        3, 0, 0, 6, 5, 0, 7), EngineWire.vllmNpy(new int[] {2, 3, 2}, 0, 0, 2, 1, 4, 3, 0, 0, 6, 5,
                        0, 7))
                .replace("\"kv_transfer_params\":null}", "\"kv_transfer_params\":null,"
                        + "\"routed_experts_prompt_start\":2}");
        RoutedSequence s = one(shifted, WITH_CONFIG);
        assertThat(List.of(s.position(0), s.position(1))).containsExactly(2, 3);
        assertThat(List.of(s.phase(0), s.phase(1))).containsExactly(Phase.PREFILL, Phase.DECODE);
        assertThat(s.experts().at(1, 2)).containsExactly(0, 7);
    }

    @Test
    void severalChoicesAreSeveralRequestsNamedByTheirIndex() {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) json(EngineFixtures.VLLM_COMPLETION);
        var choices = (com.fasterxml.jackson.databind.node.ArrayNode) body.get("choices");
        choices.add(choices.get(0).deepCopy()).get(1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) choices.get(1)).put("index", 1);
        assertThat(EngineResponses.decode(body, WITH_CONFIG)).extracting(RoutedSequence::requestId)
                .containsExactly("cmpl-1/0", "cmpl-1/1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"int32", "uint16", "uint8"})
    void sglangIdsDecodeTheSameInEveryDtype(String dtype) {
        RoutedSequence s = one(EngineFixtures.sglang("sg-2", dtype, 0, 0, 4, 1, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0, 7, 6,
                3, 2), WITH_CONFIG);
        assertThat(s.experts()).isEqualTo(new ExpertGrid(3, 3, 2, new int[] {0, 0, 4, 1, 2, 6, 0, 0, 3, 0, 1, 5, 0,
                0, 7, 6, 3, 2}));
        assertThat(List.of(s.tokenId(0), s.tokenId(2))).containsExactly(-1, 301);
    }

    @Test
    void sglangUint8KeepsIdsAbove127() {
        RoutedSequence s = one(EngineFixtures.sglang("sg-3", "uint8", 0, 0, 200, 255, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0,
                7, 6, 3, 2), WITH_CONFIG);
        assertThat(s.experts().at(0, 1)).containsExactly(200, 255);
    }

    @Test
    void sglangWithoutConfigTakesItsLayersFromTheTopK() {
        RoutedSequence s = one(EngineFixtures.SGLANG_GENERATE, new ResponseContext(null, null, 2, "l1"));
        assertThat(s.experts().layers()).isEqualTo(3);
    }

    @Test
    void sglangWithoutConfigOrTopKIsRefusedSayingWhatToPass() {
        assertThatThrownBy(() -> one(EngineFixtures.SGLANG_GENERATE, new ResponseContext(null, null, null, "l1")))
                .hasMessage("SGLang's routed experts carry no shape: pass --model-config (the model's config.json), "
                        + "or top_k on the line or --top-k");
    }

    @Test
    void aZeroRowWithoutConfigIsRefusedAsADenseLayerNotExpertZeroTwice() {
        RoutedSequence s = one(EngineFixtures.VLLM_COMPLETION, new ResponseContext(null, null, null, "l1"));
        assertThatThrownBy(() -> s.routedLayers(null)).hasMessage("request cmpl-1, position 0, layer 0 is all "
                + "zeros: a dense layer of the model; pass --model-config (the model's config.json) so that dense "
                + "layers are dropped");
    }

    @Test
    void expertsAtALayerTheConfigMakesDenseAreRefusedNotDropped() {
        String routedEverywhere = EngineFixtures.sglang("sg-5", "int32",
                4, 1, 2, 6, 3, 5,
                0, 0, 3, 0, 1, 5,
                0, 0, 7, 6, 3, 2);
        RoutedSequence s = one(routedEverywhere, new ResponseContext(null, null, 2, "l1"));
        assertThatThrownBy(() -> s.routedLayers(EngineFixtures.config())).hasMessage("request sg-5, position 0, "
                + "layer 0 holds experts [4, 1] but the model config makes layer 0 dense: the config is not the "
                + "served model's");
    }

    @Test
    void aLayerAxisOtherThanTheConfigsHiddenLayersIsRefusedNamingBoth() {
        String twoLayers = EngineFixtures.sglang("sg-4", "int32", 4, 1, 2, 6, 3, 0, 1, 5, 7, 6, 3, 2);
        RoutedSequence s = one(twoLayers, new ResponseContext(null, null, 2, "l1"));
        assertThatThrownBy(() -> s.routedLayers(EngineFixtures.config())).hasMessage(
                "routed experts have 2 layers but the model config has num_hidden_layers 3");
    }

    private static RoutedSequence one(String body, ResponseContext context) {
        List<RoutedSequence> sequences = EngineResponses.decode(json(body), context);
        assertThat(sequences).hasSize(1);
        return sequences.get(0);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
