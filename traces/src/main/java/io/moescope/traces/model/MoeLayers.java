package io.moescope.traces.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which decoder layers of an HF {@code config.json} have a router, by the rule of the model's architecture. One
 * implementation for the probe (which runs the layers) and the importers (which drop the engines' dense-layer rows).
 * An architecture whose rule is not known here is refused by name rather than guessed.
 */
public final class MoeLayers {

    private enum Rule {
        /** Every layer is MoE (Mixtral, OLMoE, gpt-oss). */
        EVERY_LAYER,
        /** Qwen-MoE: layer l is MoE unless in {@code mlp_only_layers}, and only if (l + 1) % decoder_sparse_step == 0. */
        SPARSE_STEP,
        /**
         * DeepSeek-V2/V3, GLM4-MoE: the first {@code first_k_dense_replace} layers are dense, then every
         * {@code moe_layer_freq}-th layer is MoE (vLLM's rule: {@code l >= k and l % freq == 0}).
         */
        FIRST_K_DENSE
    }

    private static final Map<String, Rule> RULES = Map.of(
            "MixtralForCausalLM", Rule.EVERY_LAYER,
            "OlmoeForCausalLM", Rule.EVERY_LAYER,
            "GptOssForCausalLM", Rule.EVERY_LAYER,
            "Qwen2MoeForCausalLM", Rule.SPARSE_STEP,
            "Qwen3MoeForCausalLM", Rule.SPARSE_STEP,
            "Qwen3NextForCausalLM", Rule.SPARSE_STEP,
            "DeepseekV2ForCausalLM", Rule.FIRST_K_DENSE,
            "DeepseekV3ForCausalLM", Rule.FIRST_K_DENSE,
            "Glm4MoeForCausalLM", Rule.FIRST_K_DENSE);

    private MoeLayers() {
    }

    /** The architectures whose MoE layers are known, sorted. */
    public static List<String> architectures() {
        return RULES.keySet().stream().sorted().toList();
    }

    /**
     * @param config          the parsed {@code config.json}
     * @param architecture    its {@code architectures[0]}
     * @param numHiddenLayers its {@code num_hidden_layers}
     * @return ascending indices of the layers with a router
     * @throws IllegalArgumentException naming the key and the bound when a key is out of range, when the
     *                                  architecture's rule is unknown, or when no layer is MoE
     */
    public static List<Integer> of(JsonNode config, String architecture, int numHiddenLayers) {
        Rule rule = RULES.get(architecture);
        if (rule == null) {
            throw new IllegalArgumentException("which layers of " + architecture + " have a router is not known;"
                    + " known architectures: " + String.join(", ", architectures()));
        }
        List<Integer> layers = switch (rule) {
            case EVERY_LAYER -> IntStream.range(0, numHiddenLayers).boxed().toList();
            case SPARSE_STEP -> sparseStep(numHiddenLayers, positive(config, "decoder_sparse_step", 1),
                    layerList(config, "mlp_only_layers", numHiddenLayers));
            case FIRST_K_DENSE -> firstKDense(numHiddenLayers, firstK(config, numHiddenLayers),
                    positive(config, "moe_layer_freq", 1));
        };
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layer of the " + numHiddenLayers + " has a router");
        }
        return layers;
    }

    /** HF's Qwen-MoE rule (see {@link Rule#SPARSE_STEP}). */
    public static List<Integer> sparseStep(int numLayers, int decoderSparseStep, List<Integer> mlpOnlyLayers) {
        if (decoderSparseStep < 1) {
            throw new IllegalArgumentException("decoder_sparse_step must be positive but is " + decoderSparseStep);
        }
        return IntStream.range(0, numLayers)
                .filter(l -> !mlpOnlyLayers.contains(l) && (l + 1) % decoderSparseStep == 0).boxed().toList();
    }

    private static List<Integer> firstKDense(int numLayers, int firstK, int frequency) {
        return IntStream.range(firstK, numLayers).filter(l -> l % frequency == 0).boxed().toList();
    }

    private static int firstK(JsonNode config, int numLayers) {
        int k = integer(config, "first_k_dense_replace", 0);
        if (k < 0 || k > numLayers) {
            throw new IllegalArgumentException("\"first_k_dense_replace\" must be between 0 and num_hidden_layers ("
                    + numLayers + ") but is " + k);
        }
        return k;
    }

    private static int positive(JsonNode config, String key, int absent) {
        int value = integer(config, key, absent);
        if (value < 1) {
            throw new IllegalArgumentException("\"" + key + "\" must be positive but is " + value);
        }
        return value;
    }

    private static int integer(JsonNode config, String key, int absent) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an integer but is " + node);
        }
        return node.intValue();
    }

    private static List<Integer> layerList(JsonNode config, String key, int numLayers) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a list of integers but is " + node);
        }
        var values = new ArrayList<Integer>();
        for (JsonNode item : node) {
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                throw new IllegalArgumentException("\"" + key + "\" must be a list of integers but holds " + item);
            }
            if (item.intValue() < 0 || item.intValue() >= numLayers) {
                throw new IllegalArgumentException("\"" + key + "\" holds layer " + item.intValue()
                        + ", outside 0.." + (numLayers - 1) + " (num_hidden_layers " + numLayers + ")");
            }
            values.add(item.intValue());
        }
        return values;
    }
}
