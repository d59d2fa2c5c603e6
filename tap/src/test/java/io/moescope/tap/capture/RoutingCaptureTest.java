package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.TokenRouting;
import io.moescope.tap.Tokens;
import io.moescope.traces.engine.EngineFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingCaptureTest {

    private static final long AT = 1_780_000_000_000_000L;
    private static final TapRequest COMPLETION_REQUEST = request(
            "{\"model\":\"tiny-deepseek-v3\",\"prompt\":\"a b c\",\"max_tokens\":2,\"return_token_ids\":true}");

    private final RoutingCapture vllm = new RoutingCapture(Engine.VLLM, EngineFixtures.config());
    private final RoutingCapture sglang = new RoutingCapture(Engine.SGLANG, EngineFixtures.config());

    @Test
    void aVllmCompletionGivesOneTokenPerPositionWithTheDenseLayerDropped() {
        Capture capture = vllm.capture(COMPLETION_REQUEST, bytes(EngineFixtures.VLLM_COMPLETION), AT);

        assertThat(capture.outcome()).isEqualTo(Outcome.CAPTURED);
        assertThat(Tokens.described(tokens(capture))).containsExactly(
                "cmpl-1#0 PREFILL 101 1:[1, 2] 2:[3, 4]",
                "cmpl-1#1 PREFILL 102 1:[5, 6] 2:[7, 0]",
                "cmpl-1#2 PREFILL 103 1:[2, 1] 2:[4, 3]",
                "cmpl-1#3 DECODE 201 1:[6, 5] 2:[0, 7]");
        assertThat(tokens(capture)).extracting(TokenRouting::runId, TokenRouting::timestampMicros)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("run-1", AT));
    }

    @Test
    void theClientGetsTheCompletionWithoutItsRoutingAndEveryOtherByteAsTheEngineSentIt() {
        Capture capture = vllm.capture(COMPLETION_REQUEST, bytes(EngineFixtures.VLLM_COMPLETION), AT);

        assertThat(text(capture.clientBody())).isEqualTo("{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
                + "\"created\":1780000000,\"model\":\"tiny-deepseek-v3\",\"choices\":[{\"index\":0,\"text\":\" a b\","
                + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null,"
                + "\"prompt_token_ids\":[101,102,103],\"token_ids\":[201,202]}],\"service_tier\":null,"
                + "\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":3,\"total_tokens\":5,"
                + "\"completion_tokens\":2,\"prompt_tokens_details\":null},\"kv_transfer_params\":null}");
    }

    @Test
    void aChatResponseLosesBothItsPromptAndItsChoicesRoutingAndThePromptStartOfTheRequestShiftsThePositions() {
        TapRequest chat = request("{\"model\":\"tiny-deepseek-v3\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}],\"routed_experts_prompt_start\":1}");
        String withoutSavedStart = EngineFixtures.VLLM_CHAT.replace(",\"routed_experts_prompt_start\":1", "");

        Capture capture = vllm.capture(chat, bytes(withoutSavedStart), AT);

        assertThat(Tokens.described(tokens(capture))).containsExactly(
                "chatcmpl-2#1 PREFILL 112 1:[3, 5] 2:[6, 1]",
                "chatcmpl-2#2 DECODE 211 1:[7, 2] 2:[2, 7]",
                "chatcmpl-2#3 DECODE 212 1:[1, 3] 2:[5, 4]");
        assertThat(text(capture.clientBody())).doesNotContain("routed_experts")
                .contains("\"token_ids\":[211,212,213]}],\"service_tier\":null")
                .endsWith("\"prompt_token_ids\":[111,112],\"kv_transfer_params\":null}");
    }

    @Test
    void aClientThatAskedForRoutingInItsBodyGetsTheEnginesBodyUnchanged() {
        TapRequest asked = request("{\"prompt\":\"a b c\",\"return_routed_experts\":true}");

        Capture capture = vllm.capture(asked, bytes(EngineFixtures.VLLM_COMPLETION), AT);

        assertThat(capture.outcome()).isEqualTo(Outcome.CAPTURED);
        assertThat(text(capture.clientBody())).isEqualTo(EngineFixtures.VLLM_COMPLETION);
    }

    @Test
    void aClientThatAskedForRoutingByTheHeaderGetsTheEnginesBodyUnchanged() {
        TapRequest asked = TapRequest.of("/v1/completions", bytes("{\"prompt\":\"a b c\"}"), true);

        Capture capture = vllm.capture(asked, bytes(EngineFixtures.VLLM_COMPLETION), AT);

        assertThat(text(capture.clientBody())).isEqualTo(EngineFixtures.VLLM_COMPLETION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int32", "uint16", "uint8"})
    void anSglangGenerateResponseIsDecodedFromRawBytesOfItsDtype(String dtype) {
        String response = EngineFixtures.sglang("sg-2", dtype, 0, 0, 4, 1, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0, 7, 6, 3, 2);

        Capture capture = sglang.capture(request("{\"text\":\"hi\"}"), bytes(response), AT);

        assertThat(Tokens.described(tokens(capture))).containsExactly(
                "sg-2#0 PREFILL -1 1:[4, 1] 2:[2, 6]",
                "sg-2#1 PREFILL -1 1:[3, 0] 2:[1, 5]",
                "sg-2#2 DECODE 301 1:[7, 6] 2:[3, 2]");
        assertThat(text(capture.clientBody())).isEqualTo("{\"text\":\" ok\",\"output_ids\":[301,302],"
                + "\"meta_info\":{\"id\":\"sg-2\",\"finish_reason\":{\"type\":\"length\",\"length\":2},"
                + "\"prompt_tokens\":2,\"completion_tokens\":2,\"cached_tokens\":0,\"e2e_latency\":0.05}}");
    }

    /**
     * Whether the routing decodes is known only after the client has its answer: it gets the body without the routing
     * it did not ask for, as with any other response, and the recording says why nothing was recorded.
     */
    @Test
    void malformedRoutingIsCutOutForTheClientAndItsRecordingSaysWhy() {
        String malformed = EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"k05V",
                "\"routed_experts\":\"!!!!");
        var kept = new ArrayList<TokenRouting>();

        Capture capture = vllm.capture(COMPLETION_REQUEST, bytes(malformed), AT);

        assertThat(capture.outcome()).isEqualTo(Outcome.CAPTURED);
        assertThat(text(capture.clientBody())).isEqualTo(text(
                vllm.capture(COMPLETION_REQUEST, bytes(EngineFixtures.VLLM_COMPLETION), AT).clientBody()));
        assertThat(capture.eachToken("run-1", kept::add)).isEqualTo("\"choices[0].routed_experts\": "
                + "\"choices[0].routed_experts\" is not standard base64: Illegal base64 character 21");
        assertThat(kept).isEmpty();
    }

    @Test
    void malformedRoutingAskedForReachesTheClientAsTheEngineSentIt() {
        String malformed = EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"k05V",
                "\"routed_experts\":\"!!!!");
        var asked = TapRequest.of("/v1/completions", bytes("{\"return_routed_experts\":true}"), false);

        Capture capture = vllm.capture(asked, bytes(malformed), AT);

        assertThat(text(capture.clientBody())).isEqualTo(malformed);
        assertThat(capture.eachToken("run-1", token -> { })).startsWith("\"choices[0].routed_experts\": ");
    }

    /** Only the payload's bytes were left out of what was parsed before the client's answer: they are read now. */
    @Test
    void aPayloadThatIsNoValidJsonStringIsNamedWhenRecorded() {
        String broken = EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"k05V",
                "\"routed_experts\":\"k0\n5V");

        Capture capture = vllm.capture(COMPLETION_REQUEST, bytes(broken), AT);

        assertThat(text(capture.clientBody())).isEqualTo(text(
                vllm.capture(COMPLETION_REQUEST, bytes(EngineFixtures.VLLM_COMPLETION), AT).clientBody()));
        assertThat(capture.eachToken("run-1", token -> { }))
                .startsWith("a routing payload is not a valid JSON string: Illegal unquoted character");
    }

    /** Read from a tree of the whole body rather than straight from its bytes: the same tokens and client body. */
    @Test
    void aPayloadWithAnEscapedCharacterIsCapturedAsThePlainOne() {
        String escaped = EngineFixtures.VLLM_COMPLETION.replaceFirst("\"routed_experts\":\"k05V",
                "\"routed_experts\":\"\\\\u006b05V");
        assertThat(escaped).isNotEqualTo(EngineFixtures.VLLM_COMPLETION);

        Capture capture = vllm.capture(COMPLETION_REQUEST, bytes(escaped), AT);
        Capture plain = vllm.capture(COMPLETION_REQUEST, bytes(EngineFixtures.VLLM_COMPLETION), AT);

        assertThat(capture.outcome()).isEqualTo(Outcome.CAPTURED);
        assertThat(Tokens.described(tokens(capture))).isEqualTo(Tokens.described(tokens(plain)));
        assertThat(text(capture.clientBody())).isEqualTo(text(plain.clientBody()));
    }

    @Test
    void aResponseWithoutRoutingIsPassedThroughAsItIs() {
        String models = "{\"object\":\"list\",\"data\":[{\"id\":\"tiny-deepseek-v3\",\"object\":\"model\"}]}";

        Capture capture = vllm.capture(request(""), bytes(models), AT);

        assertThat(capture.outcome()).isEqualTo(Outcome.PASSED_THROUGH);
        assertThat(text(capture.clientBody())).isEqualTo(models);
        assertThat(capture.heldBytes()).isEqualTo(models.length());
        assertThat(tokens(capture)).isEmpty();
    }

    @Test
    void aTokenThatIngestWouldRefuseIsLeftOutAndNamed() {
        String twice = EngineFixtures.sglang("sg-3", "uint8", 0, 0, 4, 4, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0, 7, 6, 3, 2);
        Capture capture = sglang.capture(request("{\"text\":\"hi\"}"), bytes(twice), AT);
        var kept = new ArrayList<TokenRouting>();

        String refused = capture.eachToken("run-1", kept::add);

        assertThat(refused).isEqualTo("request sg-3, position 0: layer 1: expert 4 chosen twice");
        assertThat(Tokens.described(kept)).containsExactly(
                "sg-3#1 PREFILL -1 1:[3, 0] 2:[1, 5]",
                "sg-3#2 DECODE 301 1:[7, 6] 2:[3, 2]");
    }

    private static List<TokenRouting> tokens(Capture capture) {
        var tokens = new ArrayList<TokenRouting>();
        assertThat(capture.eachToken("run-1", tokens::add)).isNull();
        return tokens;
    }

    private static TapRequest request(String body) {
        return TapRequest.of("/v1/completions", bytes(body), false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
