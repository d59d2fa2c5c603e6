package io.moescope.traces.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoftmaxTopKTest {

    private static final float[] LOGITS = {0, 1, 2, 3, 0, 0, 0, 0};

    @Test
    void renormalisedWeightsAreTheChosenProbabilitiesOverTheirSum() {
        var routed = new SoftmaxTopK(8, 2, true).route(LOGITS, null);
        assertThat(routed.choice().ids()).containsExactly(3, 2);
        // e^3 / (e^3 + e^2), e^2 / (e^3 + e^2)
        assertThat(routed.choice().weights()).containsExactly(new float[] {0.7310586f, 0.26894143f}, within(1e-7f));
    }

    @Test
    void withoutRenormalisationTheWeightsAreTheSoftmaxProbabilitiesOverAllN() {
        var routed = new SoftmaxTopK(8, 2, false).route(LOGITS, null);
        // e^3 / (5 + e + e^2 + e^3), e^2 / (...)
        assertThat(routed.choice().weights()).containsExactly(new float[] {0.57072735f, 0.20995887f}, within(1e-7f));
    }

    @Test
    void equalProbabilitiesGoToTheLowerExpertId() {
        var routed = new SoftmaxTopK(4, 2, true).route(new float[] {1, 1, 1, 1}, null);
        assertThat(routed.choice().ids()).containsExactly(0, 1);
    }

    @Test
    void theEntropyIsThatOfTheSoftmaxOverAllN() {
        assertThat(new SoftmaxTopK(8, 2, true).route(new float[8], null).entropy()).isEqualTo((float) Math.log(8));
    }
}
