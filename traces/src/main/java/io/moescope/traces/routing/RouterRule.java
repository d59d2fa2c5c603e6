package io.moescope.traces.routing;

import io.moescope.traces.model.ModelConfig;

/**
 * How an MoE router turns one token's N logits into the experts it sends the token to and the weights it gives their
 * outputs: one implementation per published rule, used by the probe's forward pass and by the hf-logits importer.
 * A rule works in two steps, so that the probe can hand over probabilities its engine already computed:
 * {@link #scores} (the rule's first function of the logits) and {@link #choose} (ids and weights from those scores).
 * Ties between equal scores go to the lower expert id, in every step that compares scores.
 */
public sealed interface RouterRule permits SoftmaxTopK, TopKSoftmax, GroupLimitedRouting {

    /** N: the routed experts of one MoE layer. */
    int numExperts();

    /** k: the experts chosen per token. */
    int topK();

    /**
     * The scores the rule chooses by, from one token's logits.
     *
     * @throws IllegalArgumentException when the logits are not N finite numbers
     */
    double[] scores(float[] logits);

    /**
     * @param scores         {@link #scores} of one token
     * @param correctionBias the layer's {@code e_score_correction_bias} (N values) where
     *                       {@link #needsCorrectionBias()}, else null
     * @return the k chosen ids, by descending score that chose them, and the weights the model applies to them
     */
    Choice choose(double[] scores, float[] correctionBias);

    /** Entropy in nats of the distribution this rule reports as the router's (see each rule), from {@link #scores}. */
    double entropy(double[] scores);

    /** Whether {@link #choose} needs the layer's {@code e_score_correction_bias} (DeepSeek-V3's noaux_tc). */
    default boolean needsCorrectionBias() {
        return false;
    }

    /** {@link #scores}, {@link #choose} and {@link #entropy} of one token's logits. */
    default Routed route(float[] logits, float[] correctionBias) {
        double[] scores = scores(logits);
        return new Routed(choose(scores, correctionBias), (float) entropy(scores));
    }

    /**
     * The rule of the model's architecture, read from its {@code config.json}.
     *
     * @throws IllegalArgumentException naming the architecture, or the key and value, that no rule here implements
     */
    static RouterRule from(ModelConfig config) {
        return RouterRules.from(config);
    }

    /** One token's routing: the choice and the entropy of {@link #entropy}. */
    record Routed(Choice choice, float entropy) {
    }
}
