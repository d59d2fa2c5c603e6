package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.ConfigReader;
import io.moescope.probe.checkpoint.MoeConfig;

/**
 * The shape and seed of a demo checkpoint.
 *
 * @param hiddenSize       residual width
 * @param intermediateSize width of one expert
 * @param numLayers        decoder layers, each with a router
 * @param numHeads         query heads
 * @param numKvHeads       key/value heads (grouped-query attention when fewer than heads)
 * @param numExperts       experts per layer
 * @param topK             experts per token
 * @param ropeTheta        rotary base
 * @param routerScale      standard deviation of router logits for a unit-RMS hidden state; larger makes each token's
 *                         choice sharper
 * @param routerSkew       how much more the last expert's router row is scaled than the first's (0 = all alike);
 *                         rows of different sizes, acting on the component that all hidden states share, make the
 *                         load visibly uneven (MaxVio about 1 per layer with the defaults) while every expert is used
 * @param seed             seed of every random weight
 */
public record DemoModelSpec(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                            int numExperts, int topK, double ropeTheta, double routerScale, double routerSkew,
                            long seed) {

    public static DemoModelSpec defaults() {
        return new DemoModelSpec(64, 128, 4, 4, 2, 8, 2, 1e6, 2.0, 1.0, 20240108L);
    }

    /** The config.json contents for this spec, with the vocabulary of {@link DemoTokenizer}. */
    public MoeConfig toConfig() {
        return new MoeConfig(ConfigReader.SUPPORTED_ARCHITECTURES.get(0), hiddenSize, intermediateSize, numLayers,
                numHeads, numKvHeads, hiddenSize / numHeads, numExperts, topK, DemoTokenizer.VOCAB_SIZE, 1e-5,
                ropeTheta, 4096, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
    }
}
