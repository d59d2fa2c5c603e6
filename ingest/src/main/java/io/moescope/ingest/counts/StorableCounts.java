package io.moescope.ingest.counts;

import io.moescope.events.ExpertCounts;
import io.moescope.ingest.validation.RunModel;
import java.util.Arrays;

/**
 * What a step of an aggregate-only run ({@link ExpertCounts}) must satisfy to be stored; anything else is a malformed
 * record. A token chooses k distinct experts at every layer it passes, so each layer's counts sum to tokens x k: the
 * rule that keeps the rollups' token and decision counts true for steps as for tokens.
 */
final class StorableCounts {

    /** The rollups' count grids hold at most this many layers and experts. */
    private static final int MAX_GRID_SIDE = 0xFFFF;

    private StorableCounts() {
    }

    /**
     * @param model the run's model, or null when the run is not known (then the layers must agree with each other)
     * @throws IllegalArgumentException naming the first problem
     */
    static void check(ExpertCounts step, RunModel model) {
        require(!step.runId().isBlank(), "the run id must not be blank");
        require(step.step() >= 0, "step " + step.step() + " < 0");
        require(step.tokens() >= 1, "step " + step.step() + ": a step routes at least one token, not "
                + step.tokens());
        require(!step.layers().isEmpty(), "step " + step.step() + " has no layer");
        int experts = step.layers().get(0).counts().length;
        int previous = -1;
        long firstTotal = step.layers().get(0).total();
        for (ExpertCounts.LayerCounts layer : step.layers()) {
            String where = "step " + step.step() + " layer " + layer.layer();
            require(layer.layer() > previous && layer.layer() <= MAX_GRID_SIDE,
                    where + ": layers must ascend, each once, within 0.." + MAX_GRID_SIDE);
            previous = layer.layer();
            long[] counts = layer.counts();
            require(counts.length == experts && experts >= 1 && experts <= MAX_GRID_SIDE, where + ": "
                    + counts.length + " counts, but every layer of a step needs the same 1.." + MAX_GRID_SIDE);
            require(Arrays.stream(counts).allMatch(c -> c >= 0), where + ": a count is negative");
            if (model != null) {
                require(experts == model.numExperts(), where + ": " + experts + " counts, but the run's model has "
                        + model.numExperts() + " experts");
                require(model.routes(layer.layer()), where + ": the run's model has no router at this layer");
                require(layer.total() == step.tokens() * model.topK(), where + ": the counts sum to "
                        + layer.total() + ", not " + step.tokens() + " tokens x top-" + model.topK());
            } else {
                require(layer.total() == firstTotal && firstTotal % step.tokens() == 0, where + ": the counts sum"
                        + " to " + layer.total() + ", which is not the same multiple of " + step.tokens()
                        + " tokens as at the step's first layer (" + firstTotal + ")");
            }
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
