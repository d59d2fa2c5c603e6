package io.moescope.tap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineTest {

    @Test
    void sglangIsAskedForRoutingFirstInTheBodyWithTheRestByteForByte() {
        assertThat(forwarded(Engine.SGLANG, "/generate", "{ \"text\": \"hi\",\n \"sampling_params\": {\"max_new_tokens\": 2}}"))
                .isEqualTo("{\"return_routed_experts\":true, \"text\": \"hi\",\n \"sampling_params\": {\"max_new_tokens\": 2}}");
    }

    @Test
    void anEmptySglangRequestGetsTheFieldWithoutAComma() {
        assertThat(forwarded(Engine.SGLANG, "/generate", " {}")).isEqualTo(" {\"return_routed_experts\":true}");
    }

    @Test
    void aStreamedSglangRequestIsForwardedUntouched() {
        String body = "{\"text\":\"hi\",\"stream\":true}";
        assertThat(forwarded(Engine.SGLANG, "/generate", body)).isEqualTo(body);
    }

    @Test
    void anSglangRequestThatAlreadyAsksIsForwardedUntouched() {
        String body = "{\"text\":\"hi\",\"return_routed_experts\":true}";
        assertThat(forwarded(Engine.SGLANG, "/generate", body)).isEqualTo(body);
    }

    @Test
    void sglangIsAskedOnGenerateWithAQueryButNotOnItsOpenAiPathsOrOthers() {
        assertThat(forwarded(Engine.SGLANG, "/generate?x=1", "{\"text\":\"hi\"}"))
                .isEqualTo("{\"return_routed_experts\":true,\"text\":\"hi\"}");
        assertThat(forwarded(Engine.SGLANG, "/v1/chat/completions", "{\"messages\":[]}")).isEqualTo("{\"messages\":[]}");
        assertThat(forwarded(Engine.SGLANG, "/v1/completions", "{\"prompt\":\"hi\"}")).isEqualTo("{\"prompt\":\"hi\"}");
        assertThat(forwarded(Engine.SGLANG, "/tokenize", "{\"text\":\"hi\"}")).isEqualTo("{\"text\":\"hi\"}");
    }

    @Test
    void vllmRequestsAreForwardedUntouched() {
        String body = "{\"prompt\":\"hi\"}";
        assertThat(forwarded(Engine.VLLM, "/v1/completions", body)).isEqualTo(body);
    }

    @Test
    void theRoutingFieldsOfEachEngineAreTheOnesItWrites() {
        assertThat(Engine.VLLM.isRoutingField("/choices/12/routed_experts")).isTrue();
        assertThat(Engine.VLLM.isRoutingField("/prompt_routed_experts")).isTrue();
        assertThat(Engine.VLLM.isRoutingField("/choices/0/token_ids")).isFalse();
        assertThat(Engine.SGLANG.isRoutingField("/meta_info/routed_experts")).isTrue();
        assertThat(Engine.SGLANG.isRoutingField("/meta_info/routed_experts_dtype")).isTrue();
        assertThat(Engine.SGLANG.isRoutingField("/meta_info/id")).isFalse();
    }

    @Test
    void everyRoutingFieldButSglangsDtypeHoldsTheRoutedExperts() {
        assertThat(Engine.VLLM.isRoutingPayload("/choices/12/routed_experts")).isTrue();
        assertThat(Engine.VLLM.isRoutingPayload("/prompt_routed_experts")).isTrue();
        assertThat(Engine.SGLANG.isRoutingPayload("/meta_info/routed_experts")).isTrue();
        assertThat(Engine.SGLANG.isRoutingPayload("/meta_info/routed_experts_dtype")).isFalse();
    }

    private static String forwarded(Engine engine, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new String(engine.forwardedBody(TapRequest.of(path, bytes, false)), StandardCharsets.UTF_8);
    }
}
