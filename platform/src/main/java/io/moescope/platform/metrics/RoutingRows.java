package io.moescope.platform.metrics;

import io.moescope.events.TokenRouting;
import io.moescope.storage.routing.RoutingReader;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Streams the raw decisions of a token set out of {@code token_routing}, ordered by request and token index, in
 * constant memory (storage's {@link RoutingReader}: a cursor instead of a result list, so a run of 10 M decisions
 * never sits in the heap).
 */
@Component
public class RoutingRows {

    private final RoutingReader reader;

    RoutingRows(RoutingReader reader) {
        this.reader = reader;
    }

    /** Hands every token of the set to {@code sink}, request by request, tokens in index order. */
    public void forEach(TokenSet set, Consumer<TokenRouting> sink) {
        reader.forEach(set.runId(), set.requestId(), set.phase(), set.from(), set.to(), sink);
    }
}
