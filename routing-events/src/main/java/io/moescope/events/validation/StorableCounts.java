package io.moescope.events.validation;

import io.moescope.events.ExpertCounts;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What a step of an aggregate-only run ({@link ExpertCounts}) must satisfy to be stored, shared by ingest (which
 * dead-letters a step that breaks it) and the count importers (which check before sending, so that an import's summary
 * counts what is stored). A token chooses k distinct experts at every layer it passes, so each layer's counts sum to
 * tokens x k: the rule that keeps the rollups' token and decision counts true for steps as for tokens. The first
 * violation found is reported. Stateless and thread-safe.
 */
public final class StorableCounts {

    /** The rollups' count grids hold at most this many layers and experts. */
    public static final int MAX_GRID_SIDE = 0xFFFF;

    private StorableCounts() {
    }

    /**
     * The model a step is checked against.
     *
     * @param numExperts N: every layer has N counts
     * @param topK       k: every layer's counts sum to tokens x k
     * @param routes     whether the model has a router at a layer
     */
    public record CountedModel(int numExperts, int topK, IntPredicate routes) {
    }

    /**
     * A whole step as ingest receives it.
     *
     * @param model the run's model, or null when the run is not known (then the layers must agree with each other)
     * @throws IllegalArgumentException naming the step, the layer and the first problem
     */
    public static void check(ExpertCounts step, CountedModel model) {
        require(!step.runId().isBlank(), "the run id must not be blank");
        require(step.step() >= 0, "step " + step.step() + " < 0");
        require(step.tokens() >= 1, "step " + step.step() + ": a step routes at least one token, not "
                + step.tokens());
        require(!step.layers().isEmpty(), "step " + step.step() + " has no layer");
        int experts = step.layers().get(0).counts().length;
        long firstTotal = step.layers().get(0).total();
        int previous = -1;
        for (ExpertCounts.LayerCounts layer : step.layers()) {
            String where = where(step.step(), layer.layer());
            require(layer.layer() > previous && layer.layer() <= MAX_GRID_SIDE,
                    where + ": layers must ascend, each once, within 0.." + MAX_GRID_SIDE);
            previous = layer.layer();
            long[] counts = layer.counts();
            require(counts.length == experts && experts >= 1 && experts <= MAX_GRID_SIDE, where + ": "
                    + counts.length + " counts, but every layer of a step needs the same 1.." + MAX_GRID_SIDE);
            if (model != null) {
                checkLayer(step.step(), layer.layer(), counts, model);
                require(layer.total() == step.tokens() * model.topK(), where + ": the counts sum to "
                        + layer.total() + ", not " + step.tokens() + " tokens x top-" + model.topK());
            } else {
                requireNoNegative(where, counts);
                require(layer.total() == firstTotal && firstTotal % step.tokens() == 0, where + ": the counts sum"
                        + " to " + layer.total() + ", which is not the same multiple of " + step.tokens()
                        + " tokens as at the step's first layer (" + firstTotal + ")");
            }
        }
    }

    /**
     * One layer of a step against the model: a router there, N counts, none negative. An importer checks each layer
     * as it reads it, so that a bad layer is rejected by its own line.
     *
     * @throws IllegalArgumentException naming the step, the layer and the problem
     */
    public static void checkLayer(long step, int layer, long[] counts, CountedModel model) {
        String where = where(step, layer);
        require(model.routes().test(layer), where + ": the run's model has no router at this layer");
        require(counts.length == model.numExperts(), where + ": " + counts.length + " counts, but the run's model"
                + " has " + model.numExperts() + " experts");
        requireNoNegative(where, counts);
    }

    /**
     * Refuses a layer or expert id that no stored row could hold, before a reader sizes anything by it: a hostile
     * count file must not make an import allocate gigabytes.
     *
     * @throws IllegalArgumentException naming the id and its bound
     */
    public static void requireStorableIds(int layer, int expert) {
        require(layer >= 0 && layer <= StorableTokens.MAX_LAYER,
                "layer " + layer + " is outside 0.." + StorableTokens.MAX_LAYER);
        require(expert >= 0 && expert <= StorableTokens.MAX_EXPERT_ID,
                "expert id " + expert + " is outside 0.." + StorableTokens.MAX_EXPERT_ID);
    }

    private static void requireNoNegative(String where, long[] counts) {
        require(Arrays.stream(counts).allMatch(c -> c >= 0), where + ": a count is negative");
    }

    private static String where(long step, int layer) {
        return "step " + step + " layer " + layer;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
