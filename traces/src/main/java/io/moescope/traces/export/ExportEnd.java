package io.moescope.traces.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The line that ends every export (since version 2): {@code {"end":"moescope-export","tokens":N}}. A stream that
 * breaks off loses it, so its absence is how a reader tells a partial export from a complete one; HTTP itself says
 * nothing once the 200 and the headers are sent.
 */
public record ExportEnd(long tokens) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        return JSON.createObjectNode().put("end", ExportFormat.MAGIC).put("tokens", tokens).toString();
    }

    /** The end line's content, or empty when {@code node} is something else (a header, a token). */
    public static Optional<ExportEnd> fromJson(JsonNode node) {
        if (node == null || !ExportFormat.MAGIC.equals(node.path("end").asText(null))) {
            return Optional.empty();
        }
        if (!node.path("tokens").isIntegralNumber()) {
            throw new IllegalArgumentException("export end line without its \"tokens\" count");
        }
        return Optional.of(new ExportEnd(node.path("tokens").longValue()));
    }
}
