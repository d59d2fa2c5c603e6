package io.moescope.events;

import java.util.List;
import java.util.Objects;

/**
 * One token of one request across all MoE layers: the unit moescope sends over Kafka and stores as one row.
 *
 * @param runId           the run the request belongs to
 * @param requestId       the request (prompt) within the run
 * @param tokenIndex      position of the token in its request, prompt tokens first, from 0
 * @param tokenId         vocabulary id of the token at this position, -1 when unknown
 * @param phase           prefill (prompt) or decode (generated)
 * @param timestampMicros wall clock in microseconds since the epoch when the token's forward pass finished
 * @param decisions       one decision per MoE layer, in layer order
 */
public record TokenRouting(String runId, String requestId, int tokenIndex, int tokenId, Phase phase,
                           long timestampMicros, List<RouterDecision> decisions) {

    public TokenRouting {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(phase, "phase");
        if (tokenIndex < 0) {
            throw new IllegalArgumentException("tokenIndex must be >= 0 but was " + tokenIndex);
        }
        decisions = List.copyOf(decisions);
    }

    /** Kafka key: all tokens of a request land in one partition, so they stay in order. */
    public String kafkaKey() {
        return kafkaKey(runId, requestId);
    }

    public static String kafkaKey(String runId, String requestId) {
        return runId + "/" + requestId;
    }
}
