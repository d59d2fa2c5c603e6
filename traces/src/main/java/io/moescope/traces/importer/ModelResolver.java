package io.moescope.traces.importer;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ModelConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides the model identity of an imported run: the user's options first, then what the trace says (metadata line,
 * export header), then {@link KnownModels}, then what the data shows (largest id + 1, layers seen, ids per row).
 * Every guess from the data is reported as a note, since it may be wrong (e.g. an expert nobody was routed to). The
 * scan sees only rows that passed {@link RowRules}, so the largest id is at most
 * {@link io.moescope.events.validation.StorableTokens#MAX_EXPERT_ID} and N = largest id + 1 cannot overflow.
 */
final class ModelResolver {

    private ModelResolver() {
    }

    static ModelIdentity resolve(ModelHints user, ShapeScan scan, String fallbackName, Consumer<String> note) {
        if (user.modelConfig() != null && scan.hints().identity() != null) {
            throw new IllegalArgumentException(fallbackName + " is a moescope export, whose header records the run's "
                    + "model: --model-config does not apply to it");
        }
        ModelHints hints = user.orElse(scan.hints());
        if (hints.identity() != null) {
            return hints.identity();
        }
        if (scan.rows() == 0) {
            // a reason that rejects every row (a rule that cannot be decided) is the one to show
            throw new IllegalArgumentException(fallbackName + ": no valid routing rows"
                    + (scan.firstRejection() == null ? "" : "; " + scan.firstRejection()));
        }
        if (hints.modelConfig() != null) {
            return fromConfig(hints, scan);
        }
        var known = KnownModels.find(hints.modelId());
        int maxLayer = scan.layers().last();
        Integer n = hints.numExperts() != null ? hints.numExperts()
                : known.map(KnownModels.Shape::numExperts).orElse(null);
        if (n == null) {
            n = scan.maxId() + 1;
            note.accept("number of experts N=" + n + " derived from the largest expert id seen; pass --num-experts "
                    + "if some experts were never routed to");
        }
        Integer k = hints.topK() != null ? hints.topK() : known.map(KnownModels.Shape::topK).orElse(null);
        if (k == null && scan.countsOnly()) {
            throw new IllegalArgumentException(fallbackName + ": the trace counts choices without recording tokens,"
                    + " so top-k cannot be derived from it; give --top-k, --model-config or a known --model-id");
        }
        if (k == null) {
            int routed = 0;
            for (int id : scan.firstIds()) {
                routed += id < n ? 1 : 0;
            }
            k = Math.max(1, routed);
            note.accept("top-k=" + k + " derived from the first row");
        }
        int numLayers = known.map(KnownModels.Shape::numLayers).filter(l -> l > maxLayer).orElse(maxLayer + 1);
        // without a model id the model is named for the trace: its file, or the name it gives itself (a TensorRT-LLM
        // statistics directory, whose meta_info.json records no model)
        String name = hints.modelId() != null ? hints.modelId()
                : hints.runName() != null ? hints.runName() : fallbackName;
        String architecture = known.map(KnownModels.Shape::architecture).orElse("unknown");
        return new ModelIdentity(name, architecture, n, Math.min(k, n), numLayers, List.copyOf(scan.layers()), 0, 0);
    }

    /**
     * The model config decides N, k, the layers and the name; the user's --num-experts / --top-k / --model-id must
     * agree with it or are refused by name. The run's MoE layers are the config's that the trace holds.
     */
    private static ModelIdentity fromConfig(ModelHints hints, ShapeScan scan) {
        ModelConfig config = hints.modelConfig();
        agree("--num-experts", hints.numExperts(), "number of experts", config.numExperts());
        agree("--top-k", hints.topK(), "num_experts_per_tok", config.topK());
        ModelIdentity identity = config.identity(List.copyOf(scan.layers()));
        if (hints.modelId() != null && !hints.modelId().equals(config.name())) {
            identity = new ModelIdentity(hints.modelId(), identity.architecture(), identity.numExperts(),
                    identity.topK(), identity.numLayers(), identity.moeLayers(), identity.totalParameters(),
                    identity.activeParameters());
        }
        return identity;
    }

    private static void agree(String option, Integer given, String key, int inConfig) {
        if (given != null && given != inConfig) {
            throw new IllegalArgumentException(option + " " + given + " contradicts the model config's " + key + " "
                    + inConfig);
        }
    }
}
