package io.moescope.probe.checkpoint;

import io.moescope.events.ModelIdentity;

/** Derives the {@link ModelIdentity} users compare models by from a config. */
public final class ModelIdentities {

    private ModelIdentities() {
    }

    /**
     * Counts parameters from the tensor shapes of {@link DecoderTensors#expected}. Active parameters are all of them
     * minus, in every MoE layer, the {@code N - k} routed experts a token is not sent to (router, shared expert and
     * dense layers are always active): the figure Mistral publishes as "12.9B active" for Mixtral 8x7B.
     */
    public static ModelIdentity of(String name, MoeConfig c) {
        long total = DecoderTensors.expected(c).values().stream().mapToLong(ModelIdentities::elements).sum();
        long perExpert = 3L * c.hiddenSize() * c.intermediateSize();
        long inactive = (long) c.moeLayers().size() * (c.numExperts() - c.topK()) * perExpert;
        return new ModelIdentity(name, c.architecture(), c.numExperts(), c.topK(), c.numLayers(), c.moeLayers(),
                total, total - inactive);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
