package io.moescope.analytics.collapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class EffectiveExpertsTest {

    @Test
    void effectiveExpertsEqualNWhenTheLoadIsUniform() {
        assertThat(EffectiveExperts.of(new ExpertLoad(0, new long[] {3, 3, 3, 3}))).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void effectiveExpertsAreTheExponentialOfTheLoadEntropy() {
        // p = (0.75, 0.25, 0, 0): H = 0.5623351446 nats, exp(H) = 1.7547653506
        assertThat(EffectiveExperts.of(new ExpertLoad(0, new long[] {6, 2, 0, 0})))
                .isCloseTo(1.7547653506, within(1e-9));
    }

    @Test
    void effectiveExpertsBottomOutAtKWhenAllTokensGoToTheSameKExperts() {
        // N = 8, top-2, every token on experts 0 and 1: p = (0.5, 0.5, 0...), exp(ln 2) = 2 = k
        assertThat(EffectiveExperts.of(new ExpertLoad(0, new long[] {10, 10, 0, 0, 0, 0, 0, 0})))
                .isCloseTo(2.0, within(1e-12));
    }

    @Test
    void aSingleExpertLayerHasOneEffectiveExpert() {
        assertThat(EffectiveExperts.of(new ExpertLoad(0, new long[] {1}))).isEqualTo(1.0);
    }

    @Test
    void effectiveExpertsOfAnEmptyLoadAreRefused() {
        assertThatThrownBy(() -> EffectiveExperts.of(new ExpertLoad(4, new long[] {0, 0})))
                .hasMessage("effective experts are undefined for layer 4: no routed tokens");
    }
}
