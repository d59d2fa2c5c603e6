package io.moescope.traces.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.events.ModelIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The header object both export formats carry: {@code {"format":"moescope-export","version":2,"run":NAME,
 * "tokens":N,"model":{...ModelIdentity...}}}, and {@code "requestsNotSeparable":WHY} after the model for a run whose
 * requests cannot be told apart. The run id and source are left out on purpose: an imported copy gets a new id and
 * source, and its export must still be byte-identical to the original's.
 *
 * <p>{@code tokens} announces how many tokens follow, so that a reader of a broken stream can say how much is missing
 * (see {@link ExportTally}); version 1 files (before it) have none and still read. {@code requestsNotSeparable} is
 * written only when set, so that exports of every other run are what they were; readers that predate it ignore it.
 *
 * @param requestsNotSeparable why the run's requests cannot be told apart, so that an import of the export keeps
 *                             its sequence metrics undefined; null when they can
 */
public record ExportHeader(String runName, ModelIdentity model, OptionalLong tokens, String requestsNotSeparable) {

    /** The header of an export of {@code tokens} tokens of a run whose requests can be told apart. */
    public ExportHeader(String runName, ModelIdentity model, long tokens) {
        this(runName, model, tokens, null);
    }

    /** The header of an export of {@code tokens} tokens; {@code requestsNotSeparable} may be null. */
    public ExportHeader(String runName, ModelIdentity model, long tokens, String requestsNotSeparable) {
        this(runName, model, OptionalLong.of(tokens), requestsNotSeparable);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", ExportFormat.MAGIC);
        root.put("version", ExportFormat.VERSION);
        root.put("run", runName);
        tokens.ifPresent(n -> root.put("tokens", n));
        ObjectNode m = root.putObject("model");
        m.put("name", model.name());
        m.put("architecture", model.architecture());
        m.put("numExperts", model.numExperts());
        m.put("topK", model.topK());
        m.put("numLayers", model.numLayers());
        var layers = m.putArray("moeLayers");
        model.moeLayers().forEach(layers::add);
        m.put("totalParameters", model.totalParameters());
        m.put("activeParameters", model.activeParameters());
        if (requestsNotSeparable != null) {
            root.put("requestsNotSeparable", requestsNotSeparable);
        }
        return root.toString();
    }

    /** @throws IllegalArgumentException when {@code node} is not a moescope export header */
    public static ExportHeader fromJson(JsonNode root) {
        if (root == null || !ExportFormat.MAGIC.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a moescope export header");
        }
        int version = root.path("version").asInt();
        if (version < 1 || version > ExportFormat.VERSION) {
            throw new IllegalArgumentException("export version " + root.path("version") + " (this build reads 1 to "
                    + ExportFormat.VERSION + ")");
        }
        JsonNode tokens = root.path("tokens");
        if (version >= 2 && !tokens.isIntegralNumber()) {
            throw new IllegalArgumentException("export version " + version + " header without its \"tokens\" count");
        }
        JsonNode m = root.path("model");
        List<Integer> layers = new ArrayList<>();
        m.path("moeLayers").forEach(l -> layers.add(l.intValue()));
        return new ExportHeader(root.path("run").asText(), new ModelIdentity(m.path("name").asText(),
                m.path("architecture").asText(), m.path("numExperts").intValue(), m.path("topK").intValue(),
                m.path("numLayers").intValue(), layers, m.path("totalParameters").longValue(),
                m.path("activeParameters").longValue()), version >= 2 ? OptionalLong.of(tokens.longValue())
                : OptionalLong.empty(), root.path("requestsNotSeparable").textValue());
    }

    public static ExportHeader parse(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("export header is not JSON: " + e.getOriginalMessage());
        }
    }
}
