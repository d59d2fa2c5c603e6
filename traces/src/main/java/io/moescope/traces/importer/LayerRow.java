package io.moescope.traces.importer;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;

/**
 * One router decision read from a trace: one token of one request at one layer. Importers emit these; the
 * {@link TokenAssembler} groups them into tokens.
 *
 * @param requestId       the request, as the trace names it
 * @param tokenIndex      position of the token in its request (rebuilt by the importer where the trace does not say)
 * @param tokenId         vocabulary id, -1 when the trace does not say
 * @param phase           prefill, decode, or unknown where the trace cannot tell
 * @param timestampMicros when the token was routed, or {@link #UNKNOWN_TIME} (the import's clock is used then)
 * @param decision        the layer's decision; weights are NaN where the trace holds ids only
 */
public record LayerRow(String requestId, int tokenIndex, int tokenId, Phase phase,
                       long timestampMicros, RouterDecision decision) {

    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    /**
     * A trace's {@code phase} field: {@code prefill}, {@code decode} or {@code unknown} (any case); absent or empty
     * means prefill.
     *
     * @throws IllegalArgumentException naming the field and the value for anything else
     */
    static Phase phase(String value) {
        return value == null || value.isEmpty() ? Phase.PREFILL : Phase.ofLabel(value);
    }

    public static LayerRow of(String requestId, int tokenIndex, Phase phase, RouterDecision decision) {
        return new LayerRow(requestId, tokenIndex, -1, phase, UNKNOWN_TIME, decision);
    }
}
