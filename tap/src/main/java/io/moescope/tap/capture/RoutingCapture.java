package io.moescope.tap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.traces.engine.EngineResponses;
import io.moescope.traces.engine.ResponseContext;
import io.moescope.traces.engine.RoutedSequence;
import io.moescope.traces.model.ModelConfig;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns one successful engine response into the body its client gets and its decoded routing. The routing is decoded
 * by {@link EngineResponses} (the importer's decoder) with the model's config, whose dense layers are dropped; the
 * tokens are built from it after the client has its answer ({@link Capture#eachToken}). Stateless and thread-safe.
 */
public final class RoutingCapture {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Capture fast = fromMembers(request, response, timestampMicros);
        return fast != null ? fast : fromTree(request, response, timestampMicros);
    }

    /**
     * The common case read without a tree of the whole body: every routing member a plain base64 string, decoded
     * straight from the body's bytes ({@link RoutingMembers}). Null for anything else (no routing, nested lists,
     * a body that is no single JSON document), which {@link #fromTree} reads and words as it always did.
     */
    private Capture fromMembers(TapRequest request, byte[] response, long timestampMicros) {
        RoutingMembers members;
        JsonNode body;
        byte[] without;
        try {
            members = RoutingMembers.of(response, engine::isRoutingField, engine::isRoutingPayload);
            if (!members.allRead()) {
                return null;
            }
            without = JsonBytes.without(response, members.cuts());
            body = members.tree(JSON.readTree(without));
        } catch (IOException e) {
            return null;
        }
        if (body == null || !EngineResponses.carriesRouting(body)) {
            return null;
        }
        return decoded(request, body, response, () -> without, timestampMicros);
    }

    private Capture fromTree(TapRequest request, byte[] response, long timestampMicros) {
        JsonNode body;
        try {
            body = JSON.readTree(response);
        } catch (IOException e) {
            return Capture.passedThrough(response);
        }
        if (!EngineResponses.carriesRouting(body)) {
            return Capture.passedThrough(response);
        }
        return decoded(request, body, response, () -> JsonBytes.withoutMembers(response, engine::isRoutingField),
                timestampMicros);
    }

    /**
     * The routing of {@code body} decoded, the client given the body {@code withoutRouting} makes unless it asked for
     * the routing; the engine's {@code response} as it was when the routing does not decode.
     */
    private Capture decoded(TapRequest request, JsonNode body, byte[] response, Supplier<byte[]> withoutRouting,
                            long timestampMicros) {
        try {
            var context = new ResponseContext(engine.rowOffset(request), config, null, "tap-" + UUID.randomUUID());
            List<RoutedSequence> sequences = EngineResponses.decode(body, context);
            for (RoutedSequence sequence : sequences) {
                sequence.routedLayers(config);
            }
            byte[] client = engine.clientWantsRouting(request) ? response : withoutRouting.get();
            return new Capture(Outcome.CAPTURED, client, sequences, config.moeLayers(), timestampMicros, null);
        } catch (IllegalArgumentException e) {
            return Capture.decodeFailed(response, e.getMessage());
        } catch (RuntimeException e) {
            // a defect of the decoding must not cost the client its answer either
            return Capture.decodeFailed(response, "unexpected " + e);
        }
    }
}
