package io.moescope.traces.importer;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Router shapes of public MoE models (from their HF config.json), so that a trace naming its model id need not say
 * N, k or the weight normalisation (docs/metrics.md, "Weight semantics").
 */
final class KnownModels {

    record Shape(String idPart, String architecture, int numExperts, int topK, int numLayers, boolean normaliseTopK) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("mixtral-8x22b", "MixtralForCausalLM", 8, 2, 56, true),
            new Shape("mixtral", "MixtralForCausalLM", 8, 2, 32, true),
            new Shape("qwen1.5-moe-a2.7b", "Qwen2MoeForCausalLM", 60, 4, 24, false),
            new Shape("qwen2-57b-a14b", "Qwen2MoeForCausalLM", 64, 8, 28, false),
            new Shape("qwen3-30b-a3b", "Qwen3MoeForCausalLM", 128, 8, 48, true),
            new Shape("qwen3-235b-a22b", "Qwen3MoeForCausalLM", 128, 8, 94, true),
            new Shape("olmoe-1b-7b", "OlmoeForCausalLM", 64, 8, 16, false),
            new Shape("deepseek-v3", "DeepseekV3ForCausalLM", 256, 8, 61, true));

    private KnownModels() {
    }

    static Optional<Shape> find(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        String id = modelId.toLowerCase(Locale.ROOT);
        return SHAPES.stream().filter(s -> id.contains(s.idPart())).findFirst();
    }
}
