package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.reference.ReferenceDecoder;

/** The agreement every architecture must reach with {@link ReferenceDecoder}. */
final class ReferenceAssertions {

    private ReferenceAssertions() {
    }

    /** Same top-k ids per token and MoE layer, weights and entropies within 1e-5, logits within 1e-4. */
    static void assertSameStep(ForwardResult actual, ReferenceDecoder.Step expected, MoeConfig config, String where) {
        assertThat(actual.layers()).hasSize(config.moeLayers().size());
        for (int m = 0; m < config.moeLayers().size(); m++) {
            LayerRouting routing = actual.layers().get(m);
            assertThat(routing.layer()).as(where).isEqualTo(config.moeLayers().get(m));
            for (int t = 0; t < actual.tokens(); t++) {
                String at = where + " layer " + routing.layer() + " token " + t;
                var decision = routing.decision(t);
                assertThat(decision.expertIds()).as(at).isEqualTo(expected.expertIds()[m][t]);
                for (int r = 0; r < decision.topK(); r++) {
                    assertThat((double) decision.weights()[r]).as(at)
                            .isCloseTo(expected.weights()[m][t][r], within(1e-5));
                }
                assertThat((double) decision.routerEntropy()).as(at)
                        .isCloseTo(expected.entropy()[m][t], within(1e-5));
            }
        }
        assertThat(actual.lastLogits()).hasSize(expected.lastLogits().length);
        for (int i = 0; i < expected.lastLogits().length; i++) {
            assertThat((double) actual.lastLogits()[i]).as(where + " logit " + i)
                    .isCloseTo(expected.lastLogits()[i], within(1e-4));
        }
    }

    /** The greedy token of a reference's logits: the first of the largest. */
    static int argmax(double[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
