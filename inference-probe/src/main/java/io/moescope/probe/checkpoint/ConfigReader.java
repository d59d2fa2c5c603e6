package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.routing.RouterRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the subset of an HF {@code config.json} that {@link MoeConfig} holds, in the layout of the released files and
 * in the one transformers 5 saves; keys it does not know and values it does not implement are refused by name
 * ({@link ConfigKeys}, {@link ConfigValues}, {@link RopeKeys}).
 */
public final class ConfigReader {

    /** Architectures whose tensor layout and maths this module implements. */
    public static final List<String> SUPPORTED_ARCHITECTURES = Architecture.hfNames();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json}; a {@link CheckpointException} names the file and the problem. */
    public MoeConfig read(Path configFile) {
        return parse(configFile).config();
    }

    /** {@link #read}, with traces' view of the same file and the router rule, each built once. */
    ParsedConfig parse(Path configFile) {
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
        Architecture arch = architecture(configFile, root);
        ConfigKeys.refuseUnknown(configFile, root, arch);
        int hidden = requiredInt(configFile, root, "hidden_size");
        int heads = requiredInt(configFile, root, "num_attention_heads");
        int layers = requiredInt(configFile, root, "num_hidden_layers");
        int expertWidth = requiredInt(configFile, root, arch.expertWidthKey());
        int maxPositions = root.path("max_position_embeddings").asInt(32768);
        ConfigValues.refuseUnimplemented(configFile, root, arch, maxPositions);
        double theta = RopeKeys.theta(configFile, root, arch.defaultRopeTheta());
        int experts = agreedInt(configFile, root, arch.expertsKeys());
        int topK = agreedInt(configFile, root, arch.topKKeys());
        try {
            // before traces' view of the file, which says it without the key's name
            MoeConfig.requireTopK(arch, experts, topK);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("invalid " + configFile + ": " + e.getMessage(), e);
        }
        ModelConfig model = model(configFile, root);
        RouterRule router = router(configFile, model);
        DeepseekConfig deepseek = arch.isDeepseek() ? DeepseekKeys.read(configFile, root, arch, router) : null;
        try {
            return new ParsedConfig(new MoeConfig(arch.hfName(), hidden, expertWidth, layers, heads,
                    root.path("num_key_value_heads").asInt(heads),
                    headDim(root, deepseek, hidden, heads),
                    experts, topK,
                    requiredInt(configFile, root, "vocab_size"),
                    root.path("rms_norm_eps").asDouble(arch.defaultRmsNormEps()),
                    theta,
                    maxPositions,
                    root.path("tie_word_embeddings").asBoolean(false),
                    tokenId(root, "bos_token_id", 1),
                    tokenId(root, "eos_token_id", 2),
                    arch.hasDenseLayers() ? requiredInt(configFile, root, "intermediate_size") : expertWidth,
                    sharedExpertSize(configFile, root, arch, expertWidth),
                    // HF's config classes default norm_topk_prob to false (DeepSeek-V3's to true); Mixtral always
                    // renormalises. The router rule reads it itself (ParsedConfig.router).
                    arch == Architecture.MIXTRAL
                            || root.path("norm_topk_prob").asBoolean(arch == Architecture.DEEPSEEK_V3),
                    attentionBias(root, arch),
                    model.moeLayers(),
                    RopeKeys.scaling(configFile, root, arch == Architecture.GPT_OSS ? RopeScaling.gptOssDefault()
                            : RopeScaling.NONE, maxPositions),
                    arch == Architecture.GPT_OSS ? GptOssKeys.slidingWindow(configFile, root, layers)
                            : SlidingWindow.NONE,
                    arch == Architecture.GPT_OSS ? GptOssKeys.experts(configFile, root) : null,
                    deepseek), model, router);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("invalid " + configFile + ": " + e.getMessage(), e);
        }
    }

    /** traces' view of the file: the parameter counts read it. */
    private static ModelConfig model(Path file, JsonNode root) {
        try {
            return ModelConfig.of(root, file);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    /** The one router rule of traces (shared with the importers), which refuses unknown values by name. */
    private static RouterRule router(Path file, ModelConfig model) {
        try {
            return RouterRule.from(model);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    /** Writes {@code config} as an HF-style {@code config.json} in the layout of the released 4.x-era files. */
    public void write(MoeConfig config, Path configFile) throws IOException {
        new ConfigWriter(ConfigWriter.Layout.RELEASED).write(config, configFile);
    }

    /** DeepSeek's head_dim is its rotary part (qk_rope_head_dim, what the RoPE turns); else the file's or H / heads. */
    private static int headDim(JsonNode root, DeepseekConfig deepseek, int hidden, int heads) {
        if (deepseek != null) {
            return deepseek.qkRopeHeadDim();
        }
        return root.hasNonNull("head_dim") ? root.get("head_dim").asInt() : hidden / heads;
    }

    /**
     * Qwen2-MoE's {@code shared_expert_intermediate_size}; DeepSeek's {@code n_shared_experts} experts of
     * {@code moe_intermediate_size} run as one MLP that many times wider (null or 0: none).
     */
    private static int sharedExpertSize(Path file, JsonNode root, Architecture arch, int expertWidth) {
        if (arch == Architecture.QWEN2_MOE) {
            return requiredInt(file, root, "shared_expert_intermediate_size");
        }
        if (arch.isDeepseek() && root.hasNonNull("n_shared_experts")) {
            return requiredInt(file, root, "n_shared_experts") * expertWidth;
        }
        return 0;
    }

    /**
     * qkv_bias defaults to true (Qwen2-MoE's q/k/v always had biases), attention_bias to false but in gpt-oss (true);
     * Mixtral has none.
     */
    private static boolean attentionBias(JsonNode root, Architecture arch) {
        String key = arch.attentionBiasKey();
        return key != null && root.path(key).asBoolean(arch.attentionBiasDefault());
    }

    /**
     * One setting under any spelling the config class accepts (the routed expert count, gpt-oss's experts per token);
     * two that disagree are refused.
     */
    private static int agreedInt(Path file, JsonNode root, List<String> keys) {
        String found = null;
        for (String key : keys) {
            if (!root.has(key)) {
                continue;
            }
            int count = requiredInt(file, root, key);
            if (found != null && count != root.get(found).asInt()) {
                throw new CheckpointException(file + " sets \"" + found + "\" to " + root.get(found).asInt()
                        + " and \"" + key + "\" to " + count + ", two spellings of one setting that disagree");
            }
            found = found == null ? key : found;
        }
        return requiredInt(file, root, found == null ? keys.get(0) : found);
    }

    private static Architecture architecture(Path file, JsonNode root) {
        JsonNode list = root.path("architectures");
        if (!list.isArray() || list.isEmpty()) {
            throw new CheckpointException(file + " has no \"architectures\" list; supported: "
                    + SUPPORTED_ARCHITECTURES);
        }
        String name = list.get(0).asText();
        return Architecture.byHfName(name).orElseThrow(() -> new CheckpointException("unsupported architecture "
                + name + " in " + file + "; supported: " + String.join(", ", SUPPORTED_ARCHITECTURES)));
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
