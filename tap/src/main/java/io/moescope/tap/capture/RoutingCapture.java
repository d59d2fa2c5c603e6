package io.moescope.tap.capture;

import io.moescope.traces.model.ModelConfig;
import java.io.IOException;

/**
 * Turns one successful engine response into the body its client gets and what is recorded of it. Only the routing
 * members are located before the client is answered ({@link RoutingMembers}: no payload is decoded, no tree of the
 * body is built); the routing is decoded afterwards by the importer's decoders with the model's config, whose dense
 * layers are dropped ({@link Capture#eachToken}). Stateless and thread-safe.
 */
public final class RoutingCapture {

    private final Engine engine;
    private final ModelConfig config;

    public RoutingCapture(Engine engine, ModelConfig config) {
        this.engine = engine;
        this.config = config;
    }

    /**
     * @param request         the client's request (its row offset, whether it asked for the routing fields)
     * @param response        the engine's 2xx body, exactly as it came
     * @param timestampMicros when the response arrived: the time of all its tokens
     */
    public Capture capture(TapRequest request, byte[] response, long timestampMicros) {
        RoutingMembers members;
        try {
            members = RoutingMembers.of(response, engine::isRoutingField);
        } catch (IOException e) {
            return Capture.passedThrough(response);
        }
        if (members.pointers().stream().noneMatch(engine::isRoutingPayload)) {
            return Capture.passedThrough(response);
        }
        byte[] client = engine.clientWantsRouting(request) ? response : JsonBytes.without(response, members.cuts());
        return Capture.routed(client, members, config, engine.rowOffset(request), timestampMicros);
    }
}
