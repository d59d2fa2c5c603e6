package io.moescope.traces.importer;

import io.moescope.events.ModelIdentity;
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
        ModelHints hints = user.orElse(scan.hints());
        if (hints.identity() != null) {
            return hints.identity();
        }
        if (scan.rows() == 0) {
            throw new IllegalArgumentException(fallbackName + ": no valid routing rows");
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
        if (k == null) {
            int routed = 0;
            for (int id : scan.firstIds()) {
                routed += id < n ? 1 : 0;
            }
            k = Math.max(1, routed);
            note.accept("top-k=" + k + " derived from the first row");
        }
        int numLayers = known.map(KnownModels.Shape::numLayers).filter(l -> l > maxLayer).orElse(maxLayer + 1);
        String name = hints.modelId() != null ? hints.modelId() : fallbackName;
        String architecture = known.map(KnownModels.Shape::architecture).orElse("unknown");
        return new ModelIdentity(name, architecture, n, Math.min(k, n), numLayers, List.copyOf(scan.layers()), 0, 0);
    }
}
