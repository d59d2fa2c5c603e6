package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads and writes the subset of an HF {@code config.json} that {@link MoeConfig} holds. */
public final class ConfigReader {

    /** Architectures whose tensor layout and maths this module implements. */
    public static final List<String> SUPPORTED_ARCHITECTURES = List.of("MixtralForCausalLM");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json}; a {@link CheckpointException} names the file and the problem. */
    public MoeConfig read(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException("config.json is missing: expected " + configFile);
        }
        JsonNode root;
        try {
            root = JSON.readTree(configFile.toFile());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new CheckpointException("malformed JSON in " + configFile + (at == null ? "" : " at line "
                    + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + configFile + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(configFile + " is not a JSON object");
        }
        String architecture = architecture(configFile, root);
        int hidden = requiredInt(configFile, root, "hidden_size");
        int heads = requiredInt(configFile, root, "num_attention_heads");
        try {
            return new MoeConfig(architecture, hidden,
                    requiredInt(configFile, root, "intermediate_size"),
                    requiredInt(configFile, root, "num_hidden_layers"),
                    heads,
                    root.path("num_key_value_heads").asInt(heads),
                    root.hasNonNull("head_dim") ? root.get("head_dim").asInt() : hidden / heads,
                    requiredInt(configFile, root, "num_local_experts"),
                    requiredInt(configFile, root, "num_experts_per_tok"),
                    requiredInt(configFile, root, "vocab_size"),
                    root.path("rms_norm_eps").asDouble(1e-5),
                    root.path("rope_theta").asDouble(1e6),
                    root.path("max_position_embeddings").asInt(32768),
                    root.path("tie_word_embeddings").asBoolean(false),
                    tokenId(root, "bos_token_id", 1),
                    tokenId(root, "eos_token_id", 2));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("invalid " + configFile + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code config} as an HF-style Mixtral {@code config.json}. */
    public void write(MoeConfig config, Path configFile) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(config.architecture());
        root.put("model_type", "mixtral");
        root.put("hidden_size", config.hiddenSize());
        root.put("intermediate_size", config.intermediateSize());
        root.put("num_hidden_layers", config.numLayers());
        root.put("num_attention_heads", config.numHeads());
        root.put("num_key_value_heads", config.numKvHeads());
        root.put("head_dim", config.headDim());
        root.put("num_local_experts", config.numExperts());
        root.put("num_experts_per_tok", config.topK());
        root.put("vocab_size", config.vocabSize());
        root.put("rms_norm_eps", config.rmsNormEps());
        root.put("rope_theta", config.ropeTheta());
        root.put("max_position_embeddings", config.maxPositionEmbeddings());
        root.put("tie_word_embeddings", config.tieWordEmbeddings());
        root.put("bos_token_id", config.bosTokenId());
        root.put("eos_token_id", config.eosTokenId());
        root.put("hidden_act", "silu");
        root.put("torch_dtype", "float32");
        JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), root);
    }

    private static String architecture(Path file, JsonNode root) {
        JsonNode list = root.path("architectures");
        if (!list.isArray() || list.isEmpty()) {
            throw new CheckpointException(file + " has no \"architectures\" list; supported: "
                    + SUPPORTED_ARCHITECTURES);
        }
        String name = list.get(0).asText();
        if (!SUPPORTED_ARCHITECTURES.contains(name)) {
            throw new CheckpointException("unsupported architecture " + name + " in " + file + "; supported: "
                    + String.join(", ", SUPPORTED_ARCHITECTURES));
        }
        return name;
    }

    /** Some configs give a list of ids (several end tokens); the first is the one this probe stops on. */
    private static int tokenId(JsonNode root, String key, int fallback) {
        JsonNode node = root.path(key);
        if (node.isArray()) {
            node = node.path(0);
        }
        return node.canConvertToInt() ? node.asInt() : fallback;
    }

    private static int requiredInt(Path file, JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.canConvertToInt()) {
            throw new CheckpointException(file + " lacks the integer key \"" + key + "\"");
        }
        return node.asInt();
    }
}
