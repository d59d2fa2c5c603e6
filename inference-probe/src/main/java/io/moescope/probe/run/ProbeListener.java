package io.moescope.probe.run;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;

/** Progress of a probe run, for a CLI or UI; every method is optional. Called on the runner's thread. */
public interface ProbeListener {

    /** Does nothing. */
    ProbeListener NONE = new ProbeListener() { };

    /** The checkpoint was validated and its weights are on the engine; no event has been sent yet. */
    default void modelLoaded(ModelIdentity model) {
    }

    /** A token was routed and handed to the sink. */
    default void tokenRouted(TokenRouting token) {
    }

    /** A forward step finished: the prefill of a prompt ({@code tokens} of them) or one decode step. */
    default void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
    }

    /** A request is done: its prompt and generated token counts. */
    default void requestFinished(String requestId, int promptTokens, int generatedTokens) {
    }

    /** The text the model generated for a request (decoded, special tokens left out); after requestFinished. */
    default void completion(String requestId, String generatedText) {
    }
}
