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
        JsonNode body;
        try {
            body = JSON.readTree(response);
        } catch (IOException e) {
            return Capture.passedThrough(response);
        }
        if (!EngineResponses.carriesRouting(body)) {
            return Capture.passedThrough(response);
        }
        try {
            var context = new ResponseContext(engine.rowOffset(request), config, null, "tap-" + UUID.randomUUID());
            List<RoutedSequence> sequences = EngineResponses.decode(body, context);
            for (RoutedSequence sequence : sequences) {
                sequence.routedLayers(config);
            }
            byte[] client = engine.clientWantsRouting(request) ? response
                    : JsonBytes.withoutMembers(response, engine::isRoutingField);
            return new Capture(Outcome.CAPTURED, client, sequences, config.moeLayers(), timestampMicros, null);
        } catch (IllegalArgumentException e) {
            return Capture.decodeFailed(response, e.getMessage());
        } catch (RuntimeException e) {
            // a defect of the decoding must not cost the client its answer either
            return Capture.decodeFailed(response, "unexpected " + e);
        }
    }
}
