package io.moescope.tap;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RecordingSink;
import java.util.List;

/** A {@link RecordingSink} that the tap's handler threads may fill while a test reads it. */
public final class ConcurrentSink extends RecordingSink {

    @Override
    public synchronized void runStarted(RunLifecycle run) {
        super.runStarted(run);
    }

    @Override
    public synchronized void token(TokenRouting token) {
        super.token(token);
    }

    @Override
    public synchronized void runFinished(RunLifecycle run) {
        super.runFinished(run);
    }

    public synchronized List<TokenRouting> tokensNow() {
        return List.copyOf(tokens);
    }
}
