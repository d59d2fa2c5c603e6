package io.moescope.traces.importer;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ModelConfig;

/**
 * What a trace (a metadata line, a header) or the user says about the model; every field may be null (unknown).
 *
 * @param runName       the run's name as an export recorded it
 * @param identity      the complete identity, when an export recorded it (wins over everything else)
 * @param modelId       model id or path, e.g. {@code Qwen/Qwen1.5-MoE-A2.7B-Chat}
 * @param numExperts    N
 * @param topK          k
 * @param normaliseTopK whether the model renormalises its top-k weights to sum 1 (Mixtral) or not (Qwen1.5-MoE)
 * @param modelConfig   the model's {@code config.json} ({@code --model-config}): N, k, the layers and which of them
 *                      are MoE
 */
public record ModelHints(String runName, ModelIdentity identity, String modelId, Integer numExperts, Integer topK,
                         Boolean normaliseTopK, ModelConfig modelConfig) {

    public static final ModelHints NONE = new ModelHints(null, null, null, null, null, null, null);

    /** Hints without a model config. */
    public ModelHints(String runName, ModelIdentity identity, String modelId, Integer numExperts, Integer topK,
                      Boolean normaliseTopK) {
        this(runName, identity, modelId, numExperts, topK, normaliseTopK, null);
    }

    /** These hints with the model's config. */
    public ModelHints withModelConfig(ModelConfig config) {
        return new ModelHints(runName, identity, modelId, numExperts, topK, normaliseTopK, config);
    }

    /** Fields of {@code this} where set, else those of {@code fallback}. */
    public ModelHints orElse(ModelHints fallback) {
        return new ModelHints(first(runName, fallback.runName), first(identity, fallback.identity),
                first(modelId, fallback.modelId), first(numExperts, fallback.numExperts),
                first(topK, fallback.topK), first(normaliseTopK, fallback.normaliseTopK),
                first(modelConfig, fallback.modelConfig));
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
