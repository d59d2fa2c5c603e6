package io.moescope.traces.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.events.ModelIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The router shape of a model as its HF {@code config.json} states it: what an importer or a tap needs to read an
 * engine's routed experts (whose layer axis covers every hidden layer, dense ones included).
 *
 * @param name            {@code _name_or_path} when the file has it, else the name of the folder holding it
 * @param architecture    {@code architectures[0]}
 * @param numHiddenLayers {@code num_hidden_layers}: the engines' layer axis
 * @param numExperts      routed experts per MoE layer ({@code num_experts}, {@code num_local_experts} or
 *                        {@code n_routed_experts}, whichever the architecture writes)
 * @param topK            {@code num_experts_per_tok}
 * @param moeLayers       ascending indices of the layers with a router ({@link MoeLayers})
 * @param values          the whole file, for what the router rule and the parameter counts read
 */
public record ModelConfig(String name, String architecture, int numHiddenLayers, int numExperts, int topK,
                          List<Integer> moeLayers, ConfigValues values) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EXPERT_KEYS = List.of("num_experts", "num_local_experts", "n_routed_experts");

    public ModelConfig {
        moeLayers = List.copyOf(moeLayers);
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok must be between 1 and the number of experts ("
                    + numExperts + ") but is " + topK);
        }
    }

    /** @throws IllegalArgumentException naming the file and the key that is missing or out of range */
    public static ModelConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
        return of(root, file);
    }

    /**
     * Reads {@code file} already parsed (as {@code root}), named after its folder when it has no
     * {@code _name_or_path}.
     *
     * @throws IllegalArgumentException naming the file and the key that is missing or out of range
     */
    public static ModelConfig of(JsonNode root, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        String fallbackName = folder != null && folder.getFileName() != null ? folder.getFileName().toString()
                : file.getFileName().toString();
        try {
            return of(root, fallbackName, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a parsed {@code config.json}; {@code fallbackName} names the model when it has no {@code _name_or_path}. */
    public static ModelConfig of(JsonNode root, String fallbackName) {
        return of(root, fallbackName, "config.json of " + fallbackName);
    }

    private static ModelConfig of(JsonNode root, String fallbackName, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode list = root.path("architectures");
        if (!list.isArray() || list.isEmpty() || !list.get(0).isTextual()) {
            throw new IllegalArgumentException("no \"architectures\" list");
        }
        String architecture = list.get(0).asText();
        int layers = positive(root, "num_hidden_layers");
        String expertsKey = EXPERT_KEYS.stream().filter(k -> root.hasNonNull(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("none of " + EXPERT_KEYS + " says the number of "
                        + "experts"));
        String name = root.hasNonNull("_name_or_path") && !root.get("_name_or_path").asText().isBlank()
                ? root.get("_name_or_path").asText() : fallbackName;
        return new ModelConfig(name, architecture, layers, positive(root, expertsKey),
                positive(root, "num_experts_per_tok"), MoeLayers.of(root, architecture, layers),
                new ConfigValues(source, root));
    }

    public boolean isMoeLayer(int layer) {
        return moeLayers.contains(layer);
    }

    /**
     * The run's identity, with the MoE layers the data holds ({@code seen}) and the {@link ParameterCounts} where the
     * architecture's are known (else 0, unknown).
     */
    public ModelIdentity identity(List<Integer> seen) {
        var counts = ParameterCounts.known(this);
        return new ModelIdentity(name, architecture, numExperts, topK, numHiddenLayers,
                moeLayers.stream().filter(seen::contains).toList(), counts.map(ParameterCounts::total).orElse(0L),
                counts.map(ParameterCounts::active).orElse(0L));
    }

    private static int positive(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw new IllegalArgumentException("\"" + key + "\" must be a positive integer but is "
                    + (node == null ? "missing" : node.toString()));
        }
        return node.intValue();
    }
}
