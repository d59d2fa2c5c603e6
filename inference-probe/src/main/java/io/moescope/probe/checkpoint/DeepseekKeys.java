package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.traces.routing.RouterRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code config.json} keys of DeepSeek-V2 and V3, as in the released files (DeepSeek-V3, DeepSeek-V2-Lite) and as
 * transformers 5 saves them ({@code rope_parameters}, {@code head_dim} = {@code qk_rope_head_dim}, V3's
 * {@code qk_head_dim} and {@code rope_interleave}). Each is read into {@link DeepseekConfig} or refused by value.
 */
final class DeepseekKeys {

    private static final List<String> BOTH = List.of("intermediate_size", "kv_lora_rank", "q_lora_rank",
            "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", "n_shared_experts", "first_k_dense_replace",
            "moe_layer_freq", "n_group", "topk_group", "topk_method", "scoring_func", "norm_topk_prob",
            "routed_scaling_factor", "attention_bias");

    private DeepseekKeys() {
    }

    /** The keys beyond the common ones that {@code arch} reads. */
    static List<String> read(Architecture arch) {
        var keys = new ArrayList<>(BOTH);
        if (arch == Architecture.DEEPSEEK_V2) {
            keys.add("mlp_bias");
        } else {
            keys.addAll(List.of("num_nextn_predict_layers", "rope_interleave", "qk_head_dim", "quantization_config"));
        }
        return keys;
    }

    /** @param router the rule {@link ConfigReader} built from the same file */
    static DeepseekConfig read(Path file, JsonNode root, Architecture arch, RouterRule router) {
        int heads = positive(file, root, "num_attention_heads");
        if (root.hasNonNull("num_key_value_heads") && root.get("num_key_value_heads").asInt() != heads) {
            throw new CheckpointException(file + " sets \"num_key_value_heads\" to " + root.get("num_key_value_heads")
                    + " but latent attention has one key and value per query head: it must equal"
                    + " num_attention_heads (" + heads + ")");
        }
        // absent, transformers takes a default (q_lora_rank 1536, n_shared_experts 1 in V3 and 2 in V2,
        // first_k_dense_replace 3 in V3 and 0 in V2) that no released file relies on: refused by name, not guessed
        requirePresent(file, root, "q_lora_rank", "an integer, or null for one q_proj");
        requirePresent(file, root, "n_shared_experts", "the number of shared experts");
        requirePresent(file, root, "first_k_dense_replace", "the number of dense layers before the MoE ones");
        if (root.hasNonNull("moe_layer_freq") && root.get("moe_layer_freq").asInt() != 1) {
            throw new CheckpointException(file + " sets \"moe_layer_freq\" to " + root.get("moe_layer_freq")
                    + ": transformers' DeepSeek makes every layer from first_k_dense_replace on MoE and ignores it,"
                    + " DeepSeek's own code makes only every n-th one MoE; this probe supports only 1, where they"
                    + " agree");
        }
        int nope = positive(file, root, "qk_nope_head_dim");
        int rope = positive(file, root, "qk_rope_head_dim");
        sameAs(file, root, "head_dim", rope, "qk_rope_head_dim");
        sameAs(file, root, "qk_head_dim", nope + rope, "qk_nope_head_dim + qk_rope_head_dim");
        Integer qLora = root.hasNonNull("q_lora_rank") ? positive(file, root, "q_lora_rank") : null;
        // transformers' V2 always rotates interleaved pairs; V3 reads rope_interleave (default true)
        boolean interleave = arch == Architecture.DEEPSEEK_V2 || root.path("rope_interleave").asBoolean(true);
        int nextn = root.hasNonNull("num_nextn_predict_layers")
                ? nonNegative(file, root, "num_nextn_predict_layers") : 0;
        return new DeepseekConfig(qLora, positive(file, root, "kv_lora_rank"), nope, rope,
                positive(file, root, "v_head_dim"), interleave, router, nextn,
                QuantizationKeys.blocks(file, root.get("quantization_config")),
                arch == Architecture.DEEPSEEK_V2 && bool(file, root, "mlp_bias"));
    }

    private static void requirePresent(Path file, JsonNode root, String key, String what) {
        if (!root.has(key)) {
            throw new CheckpointException(file + " lacks \"" + key + "\" (" + what + "), whose default differs"
                    + " between the DeepSeek config classes and their versions");
        }
    }

    /** A boolean key, false when absent or null; any other value is refused. */
    private static boolean bool(Path file, JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new CheckpointException(file + ": \"" + key + "\" must be true or false but is " + node);
        }
        return node.asBoolean();
    }

    private static void sameAs(Path file, JsonNode root, String key, int expected, String source) {
        if (root.hasNonNull(key) && root.get(key).asInt() != expected) {
            throw new CheckpointException(file + " sets \"" + key + "\" to " + root.get(key) + " but " + source
                    + " is " + expected + "; the DeepSeek config classes derive one from the other");
        }
    }

    private static int positive(Path file, JsonNode root, String key) {
        int value = nonNegative(file, root, key);
        if (value < 1) {
            throw new CheckpointException(file + ": \"" + key + "\" must be a positive integer but is " + value);
        }
        return value;
    }

    private static int nonNegative(Path file, JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.canConvertToInt() || node.asInt() < 0) {
            throw new CheckpointException(file + " lacks the non-negative integer key \"" + key + "\"");
        }
        return node.asInt();
    }
}
