package io.moescope.ingest.copy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.StorableTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorableTokensTest {

    @Test
    void acceptsATokenWithoutDecisions() {
        assertThatCode(() -> StorableTokens.check(token("run", List.of()))).doesNotThrowAnyException();
    }

    @Test
    void refusesLayersWithDifferentTopK() {
        var token = token("run", List.of(decision(0, 1, 2), decision(1, 3)));

        assertThatThrownBy(() -> StorableTokens.check(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 1 has top-1 but layer 0 has top-2");
    }

    @Test
    void refusesARepeatedLayer() {
        var token = token("run", List.of(decision(4, 1), decision(4, 2)));

        assertThatThrownBy(() -> StorableTokens.check(token)).hasMessage("layers not strictly increasing: 4 after 4");
    }

    @Test
    void refusesAnExpertIdBeyondSmallint() {
        var token = token("run", List.of(decision(0, 32768)));

        assertThatThrownBy(() -> StorableTokens.check(token))
                .hasMessage("layer 0: expert id 32768 does not fit smallint");
    }

    @Test
    void refusesANulCharacterInTheRunId() {
        assertThatThrownBy(() -> StorableTokens.check(token("run\0x", List.of(decision(0, 1)))))
                .hasMessage("runId contains a NUL character");
    }

    private static TokenRouting token(String runId, List<RouterDecision> decisions) {
        return new TokenRouting(runId, "req", 0, 1, Phase.PREFILL, 0L, decisions);
    }

    private static RouterDecision decision(int layer, int... experts) {
        return new RouterDecision(layer, experts, new float[experts.length], Float.NaN);
    }
}
