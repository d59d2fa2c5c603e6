package io.moescope.events;

import java.util.List;

/**
 * What users compare MoE models by.
 *
 * @param name             model name or checkpoint path as the user gave it
 * @param architecture     HF {@code config.json} {@code architectures[0]}, e.g. {@code MixtralForCausalLM}
 * @param numExperts       routed experts per MoE layer (N)
 * @param topK             experts chosen per token (k)
 * @param numLayers        decoder layers in total
 * @param moeLayers        indices of the layers that have a router
 * @param totalParameters  all parameters of the checkpoint
 * @param activeParameters parameters used for one token: everything but the experts it was not routed to
 */
public record ModelIdentity(String name, String architecture, int numExperts, int topK, int numLayers,
                            List<Integer> moeLayers, long totalParameters, long activeParameters) {

    public ModelIdentity {
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("need 1 <= topK <= numExperts but topK=" + topK
                    + ", numExperts=" + numExperts);
        }
        moeLayers = List.copyOf(moeLayers);
    }
}
