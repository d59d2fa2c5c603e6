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
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What the tap makes of one engine response. Before the client is answered only the routing members are located
 * ({@link RoutingMembers}), so that the client gets the body without them at once; the routing is decoded and its
 * tokens built afterwards, by {@link #eachToken}, on a recording thread.
 */
public final class Capture {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Outcome outcome;
    private final byte[] clientBody;
    private final RoutingMembers members;
    private final ModelConfig config;
    private final Integer rowOffset;
    private final long timestampMicros;

    private Capture(Outcome outcome, byte[] clientBody, RoutingMembers members, ModelConfig config,
                    Integer rowOffset, long timestampMicros) {
        this.outcome = outcome;
        this.clientBody = clientBody;
        this.members = members;
        this.config = config;
        this.rowOffset = rowOffset;
        this.timestampMicros = timestampMicros;
    }

    static Capture passedThrough(byte[] body) {
        return new Capture(Outcome.PASSED_THROUGH, body, null, null, null, 0);
    }

    /**
     * A response carrying routing, to be recorded.
     *
     * @param clientBody      the body the client gets
     * @param members         the routing members located in the engine's body
     * @param config          the model's config: its dense layers are dropped
     * @param rowOffset       the leading rows the request told the engine to leave out, or null
     * @param timestampMicros when the response arrived: the time of all its tokens (the engine reports none)
     */
    static Capture routed(byte[] clientBody, RoutingMembers members, ModelConfig config, Integer rowOffset,
                          long timestampMicros) {
        return new Capture(Outcome.CAPTURED, clientBody, members, config, rowOffset, timestampMicros);
    }

    /**
     * Captured (routing located, to be recorded) or passed through (none to record). Whether the routing decodes is
     * known only once recorded: {@link #eachToken}.
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The body the client gets: the engine's, less the routing members unless the client asked for them (byte for
     * byte as the engine sent it otherwise).
     */
    public byte[] clientBody() {
        return clientBody;
    }

    /**
     * What waiting to be recorded costs in memory: the engine's body, and the client's when it is another; at least 1.
     */
    public long heldBytes() {
        if (members == null) {
            return Math.max(1, clientBody.length);
        }
        return members.json().length + (clientBody == members.json() ? 0 : clientBody.length);
    }

    /**
     * Decodes the routing with the importer's decoders ({@link EngineResponses}) and builds the response's tokens one
     * at a time, in position order per sequence, handing each that passes ingest's model-free rules
     * ({@link TokenRules}) to {@code each}; one that does not is left out. Nothing when nothing was captured.
     *
     * @return why the routing did not decode (then no token is handed on), or why the first token left out was
     *         refused; null when every token passed
     */
    public String eachToken(String runId, Consumer<TokenRouting> each) {
        if (members == null) {
            return null;
        }
        List<RoutedSequence> sequences;
        try {
            sequences = decode();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            // a defect of the decoding must not stop the recording of the next responses either
            return "unexpected " + e;
        }
        String refused = null;
        for (RoutedSequence sequence : sequences) {
            for (int row = 0; row < sequence.experts().rows(); row++) {
                TokenRouting token = sequence.token(runId, row, config.moeLayers(), timestampMicros);
                try {
                    TokenRules.check(TokenView.of(token));
                    each.accept(token);
                } catch (RejectedTokenException e) {
                    refused = refused != null ? refused : "request " + token.requestId() + ", position "
                            + token.tokenIndex() + ": " + e.getMessage();
                }
            }
        }
        return refused;
    }

    /** One sequence per choice, its dense layers checked to be zeros. */
    private List<RoutedSequence> decode() {
        JsonNode body = body();
        var context = new ResponseContext(rowOffset, config, null, "tap-" + UUID.randomUUID());
        List<RoutedSequence> sequences = EngineResponses.decode(body, context);
        for (RoutedSequence sequence : sequences) {
            sequence.routedLayers(config);
        }
        return sequences;
    }

    /** The body as the decoders read it: from its skeleton when it can be, else a tree of the whole body. */
    private JsonNode body() {
        try {
            JsonNode fast = members.tree();
            return fast != null ? fast : JSON.readTree(members.json());
        } catch (IOException e) {
            // only the payloads' bytes were left out of the skeleton that parsed: one of them is no JSON string
            throw new IllegalArgumentException("a routing payload is not a valid JSON string: " + e.getMessage(), e);
        }
    }
}
