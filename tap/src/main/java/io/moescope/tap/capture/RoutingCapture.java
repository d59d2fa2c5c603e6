package io.moescope.tap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.RejectedTokenException;
import io.moescope.events.validation.TokenRules;
import io.moescope.events.validation.TokenView;
import io.moescope.traces.engine.EngineResponses;
import io.moescope.traces.engine.ResponseContext;
import io.moescope.traces.engine.RoutedSequence;
import io.moescope.traces.model.ModelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns one successful engine response into the body its client gets and the routing events of its tokens. The
 * routing is decoded by {@link EngineResponses} (the importer's decoder), dense layers dropped by the model's config,
 * and every token checked by ingest's model-free rules ({@link TokenRules}), so that what is sent is what ingest
 * stores. Stateless and thread-safe.
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
     * @param runId           the tap's run
     * @param timestampMicros when the response arrived: the time of all its tokens (the engine reports none)
     */
    public Capture capture(TapRequest request, byte[] response, String runId, long timestampMicros) {
        JsonNode body;
        try {
            body = JSON.readTree(response);
        } catch (IOException e) {
            return Capture.passedThrough(response);
        }
        if (!EngineResponses.carriesRouting(body)) {
            return Capture.passedThrough(response);
        }
        List<TokenRouting> tokens;
        try {
            tokens = tokens(body, engine.rowOffset(request), runId, timestampMicros);
        } catch (IllegalArgumentException | RejectedTokenException e) {
            return Capture.decodeFailed(response, e.getMessage());
        }
        byte[] client = engine.clientWantsRouting(request) ? response
                : JsonBytes.withoutMembers(response, engine::isRoutingField);
        return new Capture(Outcome.CAPTURED, client, tokens, null);
    }

    private List<TokenRouting> tokens(JsonNode body, Integer rowOffset, String runId, long micros) {
        var context = new ResponseContext(rowOffset, config, null, "tap-" + UUID.randomUUID());
        var tokens = new ArrayList<TokenRouting>();
        for (RoutedSequence sequence : EngineResponses.decode(body, context)) {
            List<Integer> layers = sequence.routedLayers(config);
            for (int row = 0; row < sequence.experts().rows(); row++) {
                TokenRouting token = sequence.token(runId, row, layers, micros);
                TokenRules.check(TokenView.of(token));
                tokens.add(token);
            }
        }
        return tokens;
    }
}
