package io.moescope.platform;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.RoutingSink;
import java.util.ArrayList;
import java.util.List;

/** Passes everything on to a real sink and keeps a copy, so a test knows exactly what the probe sent. */
final class RecordingSink implements RoutingSink {

    private final RoutingSink delegate;
    private final List<TokenRouting> tokens = new ArrayList<>();
    private final List<RunLifecycle> lifecycle = new ArrayList<>();

    RecordingSink(RoutingSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void runStarted(RunLifecycle run) {
        lifecycle.add(run);
        delegate.runStarted(run);
    }

    @Override
    public void token(TokenRouting token) {
        tokens.add(token);
        delegate.token(token);
    }

    @Override
    public void runFinished(RunLifecycle run) {
        lifecycle.add(run);
        delegate.runFinished(run);
    }

    @Override
    public void close() {
        delegate.close();
    }

    List<TokenRouting> tokens() {
        return tokens;
    }

    List<RunLifecycle> lifecycle() {
        return lifecycle;
    }
}
