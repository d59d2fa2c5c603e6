package io.moescope.analytics.collapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class NormalisedEntropyTest {

    @Test
    void uniformLoadHasNormalisedEntropyOne() {
        assertThat(NormalisedEntropy.of(new ExpertLoad(0, new long[] {3, 3, 3, 3}))).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void loadOnOneExpertHasNormalisedEntropyZero() {
        assertThat(NormalisedEntropy.of(new ExpertLoad(0, new long[] {0, 9, 0, 0}))).isZero();
    }

    @Test
    void skewedLoadIsWorkedOutFromTheDefinition() {
        // p = (0.75, 0.25, 0, 0): H = 0.75 ln(4/3) + 0.25 ln 4 = 0.5623351446; / ln 4 = 0.4056390622
        assertThat(NormalisedEntropy.of(new ExpertLoad(0, new long[] {6, 2, 0, 0})))
                .isCloseTo(0.4056390622, within(1e-9));
    }

    @Test
    void aSingleExpertLayerCountsAsUniform() {
        assertThat(NormalisedEntropy.of(new ExpertLoad(0, new long[] {5}))).isEqualTo(1.0);
    }

    @Test
    void entropyOfAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> NormalisedEntropy.of(new ExpertLoad(1, new long[] {0, 0})))
                .hasMessageContaining("no routed tokens");
    }
}
