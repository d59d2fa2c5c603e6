package io.moescope.traces.importer;

import io.moescope.traces.routing.GroupLimitedRouting;
import io.moescope.traces.routing.RouterRule;
import io.moescope.traces.routing.SoftmaxTopK;
import java.util.Set;

/** Which {@link RouterRule} recomputes an hf-logits trace's decisions, from what the user and the trace say. */
final class LogitsRule {

    /** The architectures whose router is a softmax over N then top-k: the rule the format assumes without a config. */
    private static final Set<String> SOFTMAX_TOP_K = Set.of("MixtralForCausalLM", "OlmoeForCausalLM",
            "Qwen2MoeForCausalLM", "Qwen3MoeForCausalLM");

    private LogitsRule() {
    }

    /**
     * The model config's rule when there is one (a normalisation the hints state must agree with it); else softmax
     * top-k with k and the normalisation from the hints or {@link KnownModels}, for a model known to route so.
     *
     * @param numExperts N, as the logits show it
     * @throws IllegalArgumentException naming what is missing or contradicts
     */
    static RouterRule of(ModelHints hints, int numExperts) {
        if (hints.modelConfig() != null) {
            RouterRule rule = RouterRule.from(hints.modelConfig());
            if (hints.normaliseTopK() != null && hints.normaliseTopK() != normalises(rule)) {
                throw new IllegalArgumentException("normalise-top-k " + hints.normaliseTopK() + " contradicts the "
                        + "model config, whose " + hints.modelConfig().architecture() + " router normalises: "
                        + normalises(rule));
            }
            return rule;
        }
        var known = KnownModels.find(hints.modelId());
        if (known.isPresent() && !SOFTMAX_TOP_K.contains(known.get().architecture())) {
            throw new IllegalArgumentException(hints.modelId() + " is a " + known.get().architecture() + ", whose "
                    + "router is not a softmax top-k: pass --model-config (its config.json) to apply its rule");
        }
        Integer k = hints.topK() != null ? hints.topK() : known.map(KnownModels.Shape::topK).orElse(null);
        Boolean normalise = hints.normaliseTopK() != null ? hints.normaliseTopK()
                : known.map(KnownModels.Shape::normaliseTopK).orElse(null);
        if (k == null || normalise == null) {
            throw new IllegalArgumentException("top-k and normalisation unknown: give a meta line with top_k and "
                    + "norm_topk_prob, a known model_id, or --top-k and --normalise-top-k");
        }
        return new SoftmaxTopK(numExperts, k, normalise);
    }

    /** Whether the rule's k weights are divided by their sum (gpt-oss's k-way softmax always sums to 1). */
    private static boolean normalises(RouterRule rule) {
        if (rule instanceof SoftmaxTopK softmax) {
            return softmax.renormalise();
        }
        // otherwise TopKSoftmax: its k-way softmax sums to 1
        return rule instanceof GroupLimitedRouting grouped ? grouped.normalise() : true;
    }
}
