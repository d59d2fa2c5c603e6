package io.moescope.tap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A client's request as it reached the tap.
 *
 * @param path          the path with its query, e.g. {@code /v1/completions}
 * @param body          the body exactly as the client sent it
 * @param json          the body parsed when it is a JSON object, else null (such a request is forwarded as it is)
 * @param keepRoutingHeader whether the client sent {@code X-Moescope-Keep-Routing: true}
 */
public record TapRequest(String path, byte[] body, JsonNode json, boolean keepRoutingHeader) {

    /** The header by which a client asks to see the routing fields the engine returned. */
    public static final String KEEP_ROUTING_HEADER = "X-Moescope-Keep-Routing";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code body} as JSON when it holds an object; anything else is kept as bytes only. */
    public static TapRequest of(String path, byte[] body, boolean keepRoutingHeader) {
        return new TapRequest(path, body, jsonObject(body), keepRoutingHeader);
    }

    /** Whether the client asked for a streamed response ({@code "stream": true}), which carries no routing. */
    public boolean streams() {
        return json != null && json.path("stream").asBoolean(false);
    }

    /** Whether the request itself set {@code field} to JSON {@code true}. */
    public boolean sets(String field) {
        return json != null && json.path(field).isBoolean() && json.get(field).booleanValue();
    }

    /** A non-negative integer field of the request, or null when absent or not such an integer. */
    public Integer intField(String field) {
        JsonNode value = json == null ? null : json.get(field);
        return value != null && value.canConvertToInt() && value.isIntegralNumber() && value.intValue() >= 0
                ? Integer.valueOf(value.intValue()) : null;
    }

    private static JsonNode jsonObject(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            // not JSON: the engine judges it, and its answer goes back to the client as it is
            return null;
        }
    }
}
