package io.moescope.probe.bench;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.ProbeListener;

/**
 * Times decode steps from the runner's callbacks: a decode token's step is the time since the previous token was
 * handed to the sink, so it includes the capture of the token before it, which is what capture costs decoding.
 */
final class DecodeTimer implements ProbeListener {

    private long last = System.nanoTime();
    private long decodeNanos;
    private long decodeTokens;

    @Override
    public void tokenRouted(TokenRouting token) {
        long now = System.nanoTime();
        if (token.phase() == Phase.DECODE) {
            decodeNanos += now - last;
            decodeTokens++;
        }
        last = now;
    }

    long tokens() {
        return decodeTokens;
    }

    double seconds() {
        return decodeNanos / 1e9;
    }

    double tokensPerSecond() {
        return decodeTokens / seconds();
    }
}
