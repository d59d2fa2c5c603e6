package io.moescope.ingest.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.support.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    private static TokenRouting token(String run, String request, int index, long micros) {
        TokenRouting t = Tokens.token(run, request, index, Phase.DECODE, 2, 8);
        return new TokenRouting(t.runId(), t.requestId(), t.tokenIndex(), t.tokenId(), t.phase(), micros,
                t.decisions());
    }

    @Test
    void ordersByRunThenRequestThenTokenIndexThenTime() {
        TokenBatch batch = TokenBatch.of(List.of(
                token("run-b", "req-1", 0, 10),    // 0
                token("run-a", "req-2", 1, 10),    // 1
                token("run-a", "req-10", 5, 10),   // 2: "req-10" < "req-2" as text
                token("run-a", "req-2", 0, 10),    // 3
                token("run-a", "req-2", 1, 5)));   // 4: same key as 1, earlier

        assertThat(TokenRoutingCopyWriter.keyOrder(batch)).containsExactly(2, 3, 4, 1, 0);
    }
}
