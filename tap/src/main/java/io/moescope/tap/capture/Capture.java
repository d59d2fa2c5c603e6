package io.moescope.tap.capture;

import io.moescope.events.TokenRouting;
import io.moescope.events.validation.RejectedTokenException;
import io.moescope.events.validation.TokenRules;
import io.moescope.events.validation.TokenView;
import io.moescope.traces.engine.RoutedSequence;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the tap makes of one engine response. The routing is decoded before the client is answered (a payload that
 * does not decode leaves the client the engine's body as it was); its tokens are built afterwards, by
 * {@link #eachToken}, so that the client does not wait for them.
 *
 * @param outcome         captured, passed through or decode failed
 * @param clientBody      the body the client gets: the engine's, less the routing fields when the tap decoded them
 *                        and the client did not ask for them
 * @param sequences       the decoded routing, one sequence per choice (empty unless captured)
 * @param layers          the MoE layers kept of the engine's layer axis (the config's; dense layers dropped)
 * @param timestampMicros when the response arrived: the time of all its tokens (the engine reports none)
 * @param failure         why the routing could not be decoded, or null
 */
public record Capture(Outcome outcome, byte[] clientBody, List<RoutedSequence> sequences, List<Integer> layers,
                      long timestampMicros, String failure) {

    public Capture {
        sequences = List.copyOf(sequences);
        layers = List.copyOf(layers);
    }

    static Capture passedThrough(byte[] body) {
        return new Capture(Outcome.PASSED_THROUGH, body, List.of(), List.of(), 0, null);
    }

    static Capture decodeFailed(byte[] body, String failure) {
        return new Capture(Outcome.DECODE_FAILED, body, List.of(), List.of(), 0, failure);
    }

    /**
     * What waiting to be recorded costs in memory: its decoded routing (every sequence's expert ids) and the client's
     * body (the whole response when the client asked for the routing); at least 1.
     */
    public long heldBytes() {
        long ids = 0;
        for (RoutedSequence sequence : sequences) {
            ids += sequence.experts().ids().length;
        }
        return Math.max(1, ids * Integer.BYTES + clientBody.length);
    }

    /**
     * Builds the response's tokens one at a time, in position order per sequence, and hands each that passes
     * ingest's model-free rules ({@link TokenRules}) to {@code each}; one that does not is left out.
     *
     * @return why the first token left out was refused, or null when every token passed
     */
    public String eachToken(String runId, Consumer<TokenRouting> each) {
        String refused = null;
        for (RoutedSequence sequence : sequences) {
            for (int row = 0; row < sequence.experts().rows(); row++) {
                TokenRouting token = sequence.token(runId, row, layers, timestampMicros);
                try {
                    TokenRules.check(TokenView.of(token));
                    each.accept(token);
                } catch (RejectedTokenException e) {
                    refused = refused != null ? refused : "request " + token.requestId() + ", position "
                            + token.tokenIndex() + ": " + e.getMessage();
                }
            }
        }
        return refused;
    }
}
