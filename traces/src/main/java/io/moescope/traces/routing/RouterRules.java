package io.moescope.traces.routing;

import io.moescope.traces.model.ConfigValues;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.routing.GroupLimitedRouting.Method;
import io.moescope.traces.routing.GroupLimitedRouting.Scoring;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@link RouterRule#from}: which rule each architecture's modelling code applies, with which config keys. */
final class RouterRules {

    /** The architectures with a rule here, sorted. */
    static final List<String> ARCHITECTURES = List.of("DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM",
            "Glm4MoeForCausalLM", "GptOssForCausalLM", "MixtralForCausalLM", "OlmoeForCausalLM",
            "Qwen2MoeForCausalLM", "Qwen3MoeForCausalLM");

    private RouterRules() {
    }

    static RouterRule from(ModelConfig config) {
        ConfigValues values = config.values();
        int n = config.numExperts();
        int k = config.topK();
        return switch (config.architecture()) {
            case "MixtralForCausalLM" -> new SoftmaxTopK(n, k, true);
            // false is the default of these HF config classes
            case "OlmoeForCausalLM", "Qwen2MoeForCausalLM", "Qwen3MoeForCausalLM" ->
                    new SoftmaxTopK(n, k, values.bool("norm_topk_prob", false));
            case "GptOssForCausalLM" -> new TopKSoftmax(n, k);
            // transformers' DeepseekV3TopkRouter always takes the sigmoid and chooses by noaux_tc, whatever the
            // keys say (DeepSeek's own V3 code raises on anything else): other values are refused, not followed
            case "DeepseekV3ForCausalLM" -> grouped(config, enumValue(config, "scoring_func", "sigmoid",
                    Scoring.SIGMOID), enumValue(config, "topk_method", "noaux_tc", Method.NOAUX_TC),
                    values.bool("norm_topk_prob"));
            // transformers' DeepseekV2Moe always takes the softmax and knows greedy and group_limited_greedy only
            case "DeepseekV2ForCausalLM" -> grouped(config, enumValue(config, "scoring_func", "softmax",
                    Scoring.SOFTMAX), enumValue(config, "topk_method", "greedy", Method.GREEDY,
                    Method.GROUP_LIMITED_GREEDY), deepseekV2Normalisation(values));
            // transformers' Glm4MoeTopkRouter is DeepSeek-V3's: sigmoid, noaux_tc; its config has no keys to say else
            case "Glm4MoeForCausalLM" -> grouped(config, Scoring.SIGMOID, Method.NOAUX_TC,
                    values.bool("norm_topk_prob"));
            default -> throw values.error("the router rule of " + config.architecture() + " is not known; known: "
                    + String.join(", ", ARCHITECTURES));
        };
    }

    static void requireTopK(int numExperts, int topK) {
        if (numExperts < 1 || topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("num_experts_per_tok must be between 1 and the number of experts ("
                    + numExperts + ") but is " + topK);
        }
    }

    private static GroupLimitedRouting grouped(ModelConfig config, Scoring scoring, Method method, boolean normalise) {
        ConfigValues values = config.values();
        boolean greedy = method == Method.GREEDY;
        int groups = greedy ? 1 : values.integer("n_group", 1);
        int kept = greedy ? 1 : values.integer("topk_group", 1);
        double scaling = values.number("routed_scaling_factor");
        try {
            return new GroupLimitedRouting(config.numExperts(), config.topK(), scoring, method, groups, kept,
                    normalise, scaling);
        } catch (IllegalArgumentException e) {
            // the record's bound, said about this file
            throw values.error(e.getMessage());
        }
    }

    /**
     * DeepSeek's own V2 code renormalises instead of scaling when {@code norm_topk_prob} is true; transformers'
     * port never reads the key and always scales. They agree only where it is false (every released V2).
     */
    private static boolean deepseekV2Normalisation(ConfigValues values) {
        if (values.bool("norm_topk_prob", false)) {
            throw values.error("\"norm_topk_prob\": true in DeepseekV2ForCausalLM is not supported: DeepSeek's code "
                    + "then renormalises and does not scale, transformers scales and does not renormalise");
        }
        return false;
    }

    /** The value of {@code key} ({@code absent} when missing), one of the {@code options} the architecture has. */
    @SafeVarargs
    private static <E extends Enum<E>> E enumValue(ModelConfig config, String key, String absent, E... options) {
        String value = config.values().text(key, absent);
        List<String> spelled = Arrays.stream(options).map(o -> o.name().toLowerCase(Locale.ROOT)).toList();
        int index = spelled.indexOf(value);
        if (index < 0) {
            throw config.values().error("\"" + key + "\" is \"" + value + "\", which the router of "
                    + config.architecture() + " does not implement; supported: " + String.join(", ", spelled));
        }
        return options[index];
    }
}
