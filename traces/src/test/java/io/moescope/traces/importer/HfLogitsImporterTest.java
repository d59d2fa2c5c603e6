package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.RouterDecision;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HfLogitsImporterTest extends TraceImporterContract {

    static final String MIXTRAL = "{\"type\":\"meta\",\"format\":\"hf-router-logits\","
            + "\"model_id\":\"mistralai/Mixtral-8x7B-v0.1\"}";

    @Override
    TraceImporter importer() {
        return new HfLogitsImporter();
    }

    @Override
    List<String> trace() {
        return List.of(MIXTRAL, logits(0, 0, "[0,1,2,3,0,0,0,0]"), logits(0, 1, "[5,0,0,0,0,0,0,4]"),
                logits(1, 0, "[0,0,0,0,0,9,8,0]"), logits(1, 1, "[1,1,1,1,1,1,1,2]"));
    }

    @Override
    List<String> expectedTokens() {
        return List.of("r#0 PREFILL 0:[3, 2] 1:[0, 7]", "r#1 PREFILL 0:[5, 6] 1:[7, 0]");
    }

    @Test
    void renormalisesTheTopKForMixtral() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        RouterDecision d = sink.tokens.get(0).decisions().get(0);
        // e^3 / (e^3 + e^2) and e^2 / (e^3 + e^2)
        assertThat(d.weights()).containsExactly(0.7310586f, 0.26894143f);
    }

    @Test
    void keepsRawSoftmaxProbabilitiesWhenTheModelDoesNotRenormalise() throws IOException {
        var sink = new CollectingSink();
        importLines(List.of("{\"type\":\"meta\",\"format\":\"hf-router-logits\",\"top_k\":2,"
                + "\"norm_topk_prob\":false}", logits(0, 0, "[0,1,2,3,0,0,0,0]")), sink);
        // softmax over 8: e^3 / (5 + e + e^2 + e^3), e^2 / (...)
        assertThat(sink.tokens.get(0).decisions().get(0).weights()).containsExactly(0.57072735f, 0.20995887f);
    }

    @Test
    void recordsTheRouterEntropyOfTheFullDistribution() throws IOException {
        var sink = new CollectingSink();
        importLines(List.of(MIXTRAL, logits(0, 0, "[0,0,0,0,0,0,0,0]")), sink);
        assertThat(sink.tokens.get(0).decisions().get(0).routerEntropy()).isEqualTo((float) Math.log(8));
    }

    @Test
    void takesTheNumberOfExpertsFromTheLogits() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        assertThat(sink.runs.get(0).model().numExperts()).isEqualTo(8);
    }

    static String logits(int token, int layer, String values) {
        return "{\"request_id\":\"r\",\"token_idx\":" + token + ",\"layer\":" + layer + ",\"logits\":" + values + "}";
    }
}
