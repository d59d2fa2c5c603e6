package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.traces.routing.GroupLimitedRouting;
import io.moescope.traces.routing.SoftmaxTopK;
import io.moescope.traces.routing.TopKSoftmax;
import org.junit.jupiter.api.Test;

class RouterMathTest {

    @Test
    void picksTheTopKHighestFirstAndRenormalisesTheirWeights() {
        float[] p = {0.1f, 0.4f, 0.05f, 0.2f, 0.05f, 0.1f, 0.05f, 0.05f};
        LayerRouting r = RouterMath.route(3, p, 1, new SoftmaxTopK(8, 2, true), null, true);
        assertThat(r.expertIds()).containsExactly(1, 3);
        assertThat((double) r.weights()[0]).isCloseTo(0.4 / 0.6, within(1e-7));
        assertThat((double) r.weights()[1]).isCloseTo(0.2 / 0.6, within(1e-7));
        assertThat(r.decision(0).layer()).isEqualTo(3);
    }

    @Test
    void tiesGoToTheLowerExpertId() {
        float[] p = {0.25f, 0.25f, 0.25f, 0.25f};
        assertThat(RouterMath.route(0, p, 1, new SoftmaxTopK(4, 2, true), null, true).expertIds())
                .containsExactly(0, 1);
    }

    @Test
    void entropyIsLnNForAUniformRouterAndZeroForAOneHotOne() {
        float[] p = {0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f,
                     1, 0, 0, 0, 0, 0, 0, 0};
        LayerRouting r = RouterMath.route(0, p, 2, new SoftmaxTopK(8, 2, true), null, true);
        assertThat((double) r.entropy()[0]).isCloseTo(Math.log(8), within(1e-6));
        assertThat(r.entropy()[1]).isZero();
        assertThat(r.expertIds()).containsExactly(0, 1, 0, 1);
    }

    @Test
    void withoutRenormalisationTheWeightsAreTheChosenProbabilities() {
        float[] p = {0.5f, 0.25f, 0.125f, 0.125f};
        LayerRouting r = RouterMath.route(0, p, 1, new SoftmaxTopK(4, 2, false), null, true);
        assertThat(r.weights()).containsExactly(0.5f, 0.25f);
    }

    @Test
    void withCaptureOffTheRoutingHasTheSameIdsAndWeightsButNoEntropy() {
        float[] p = {0.1f, 0.4f, 0.05f, 0.2f, 0.05f, 0.1f, 0.05f, 0.05f};
        LayerRouting off = RouterMath.route(3, p, 1, new SoftmaxTopK(8, 2, true), null, false);
        LayerRouting on = RouterMath.route(3, p, 1, new SoftmaxTopK(8, 2, true), null, true);
        assertThat(off.expertIds()).containsExactly(on.expertIds());
        assertThat(off.weights()).containsExactly(on.weights());
        assertThat(off.entropy()).isNull();
        assertThatThrownBy(() -> off.decision(0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("layer 3 was routed with capture off: no entropy to report");
    }

    /** gpt-oss: the k largest logits, softmax over those k; the entropy is the one of the softmax over all N. */
    @Test
    void topKSoftmaxChoosesByTheLogitsAndWeighsBySoftmaxOverTheK() {
        float[] logits = {0f, 2f, 1f, (float) Math.log(0.5)};
        LayerRouting r = RouterMath.route(0, logits, 1, new TopKSoftmax(4, 2), null, true);
        assertThat(r.expertIds()).containsExactly(1, 2);
        double e = Math.E;
        assertThat((double) r.weights()[0]).isCloseTo(e / (e + 1), within(1e-7));
        assertThat((double) r.weights()[1]).isCloseTo(1 / (e + 1), within(1e-7));
        double sum = 1 + e * e + e + 0.5;
        double[] p = {1 / sum, e * e / sum, e / sum, 0.5 / sum};
        double entropy = 0;
        for (double v : p) {
            entropy -= v * Math.log(v);
        }
        assertThat((double) r.entropy()[0]).isCloseTo(entropy, within(1e-6));
    }

    /**
     * DeepSeek-V3's rule on the logits: equal sigmoid scores 0.5, a correction bias of 1 on expert 3 makes group
     * {2, 3} the kept one (1.0 + 0.5 against 0.5 + 0.5) and ranks 3 first; the weights are the unbiased scores over
     * their sum. Without the layer's bias the rule cannot run.
     */
    @Test
    void aCorrectionBiasRuleChoosesByTheBiasedScoresAndWeighsByTheUnbiasedOnes() {
        var rule = new GroupLimitedRouting(4, 2, GroupLimitedRouting.Scoring.SIGMOID,
                GroupLimitedRouting.Method.NOAUX_TC, 2, 1, true, 1.0);
        float[] logits = {0, 0, 0, 0};
        LayerRouting r = RouterMath.route(0, logits, 1, rule, new float[] {0, 0, 0, 1}, true);
        assertThat(r.expertIds()).containsExactly(3, 2);
        assertThat(r.weights()).containsExactly(new float[] {0.5f, 0.5f}, within(1e-7f));
        assertThatThrownBy(() -> RouterMath.route(0, logits, 1, rule, null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs correction bias");
    }
}
