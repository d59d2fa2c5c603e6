package io.moescope.traces.importer;

import io.moescope.events.RouterDecision;

/** Turns raw gate logits into the decision the model makes: softmax over N, top-k, optional renormalisation. */
final class RouterLogits {

    private RouterLogits() {
    }

    /**
     * @param logits        {@code [numExperts]} pre-softmax gate logits of one token at one layer
     * @param topK          k
     * @param normaliseTopK whether the chosen weights are rescaled to sum 1 (Mixtral) or kept as probabilities
     * @return ids by descending probability (ties: lower id first), their weights, and the softmax entropy in nats
     */
    static RouterDecision decide(int layer, float[] logits, int topK, boolean normaliseTopK) {
        if (topK < 1 || topK > logits.length) {
            throw new IllegalArgumentException("top-" + topK + " of " + logits.length + " logits");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            if (!Float.isFinite(l)) {
                throw new IllegalArgumentException("non-finite logit " + l);
            }
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        double entropy = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
            if (p[i] > 0) {
                entropy -= p[i] * Math.log(p[i]);
            }
        }
        int[] ids = new int[topK];
        boolean[] taken = new boolean[p.length];
        double chosen = 0;
        for (int j = 0; j < topK; j++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!taken[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            ids[j] = best;
            chosen += p[best];
        }
        float[] weights = new float[topK];
        for (int j = 0; j < topK; j++) {
            weights[j] = (float) (normaliseTopK ? p[ids[j]] / chosen : p[ids[j]]);
        }
        return new RouterDecision(layer, ids, weights, (float) entropy);
    }
}
