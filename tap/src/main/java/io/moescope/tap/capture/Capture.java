package io.moescope.tap.capture;

import io.moescope.events.TokenRouting;
import java.util.List;

/**
 * What the tap makes of one engine response.
 *
 * @param outcome    captured, passed through or decode failed
 * @param clientBody the body the client gets: the engine's, less the routing fields when the tap recorded them and
 *                   the client did not ask for them
 * @param tokens     the routing to record, one event per token (empty unless captured)
 * @param failure    why the routing could not be decoded, or null
 */
public record Capture(Outcome outcome, byte[] clientBody, List<TokenRouting> tokens, String failure) {

    public Capture {
        tokens = List.copyOf(tokens);
    }

    static Capture passedThrough(byte[] body) {
        return new Capture(Outcome.PASSED_THROUGH, body, List.of(), null);
    }

    static Capture decodeFailed(byte[] body, String failure) {
        return new Capture(Outcome.DECODE_FAILED, body, List.of(), failure);
    }
}
