package io.moescope.probe.model;

import io.moescope.events.RouterDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one forward step over T tokens.
 *
 * @param tokens     tokens in the step (T)
 * @param layers     one routing capture per MoE layer, in layer order (dense layers have none)
 * @param lastLogits {@code [vocab]} logits after the step's last token (the next-token distribution)
 */
public record ForwardResult(int tokens, List<LayerRouting> layers, float[] lastLogits) {

    public ForwardResult {
        layers = List.copyOf(layers);
    }

    /** Token {@code t}'s decisions across all MoE layers, in layer order. */
    public List<RouterDecision> decisions(int t) {
        var decisions = new ArrayList<RouterDecision>(layers.size());
        for (LayerRouting layer : layers) {
            decisions.add(layer.decision(t));
        }
        return decisions;
    }

    /** Greedy choice: the id with the highest logit, the lowest id on a tie. */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < lastLogits.length; i++) {
            if (lastLogits[i] > lastLogits[best]) {
                best = i;
            }
        }
        return best;
    }
}
