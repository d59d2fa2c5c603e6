package io.moescope.probe.checkpoint;

import io.moescope.events.ModelIdentity;
import java.util.stream.IntStream;

/** Derives the {@link ModelIdentity} users compare models by from a Mixtral config. */
public final class ModelIdentities {

    private ModelIdentities() {
    }

    /**
     * Counts parameters from the tensor shapes of {@link MixtralTensors#expected}. Active parameters are all of them
     * minus, in every MoE layer, the {@code N - k} experts a token is not routed to (the router itself is always
     * active): the figure Mistral publishes as "12.9B active" for Mixtral 8x7B.
     */
    public static ModelIdentity of(String name, MoeConfig c) {
        long total = MixtralTensors.expected(c).values().stream().mapToLong(ModelIdentities::elements).sum();
        long perExpert = 3L * c.hiddenSize() * c.intermediateSize();
        long inactive = (long) c.numLayers() * (c.numExperts() - c.topK()) * perExpert;
        return new ModelIdentity(name, c.architecture(), c.numExperts(), c.topK(), c.numLayers(),
                IntStream.range(0, c.numLayers()).boxed().toList(), total, total - inactive);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
