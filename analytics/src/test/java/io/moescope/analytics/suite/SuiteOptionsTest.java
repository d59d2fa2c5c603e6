package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which options give a run's default suite (the one the platform stores): N = 8, MoE layers from 1. */
class SuiteOptionsTest {

    private static final int FIRST_MOE_LAYER = 1;
    private static final int EXPERTS = 8;

    private static boolean sameAsDefaults(OptionalInt layer, double tau, OptionalInt cache, int window) {
        return new SuiteOptions(layer, tau, cache, window).sameAsDefaultsFor(FIRST_MOE_LAYER, EXPERTS);
    }

    @Test
    void theDefaultsAndTheDefaultValuesNamedGiveTheDefaultSuite() {
        assertThat(SuiteOptions.defaults().sameAsDefaultsFor(FIRST_MOE_LAYER, EXPERTS)).isTrue();
        // the first MoE layer as the detail layer, C = N / 2
        assertThat(sameAsDefaults(OptionalInt.of(1), 0.1, OptionalInt.of(4), 16)).isTrue();
    }

    @Test
    void anyOtherValueGivesAnotherSuite() {
        assertThat(sameAsDefaults(OptionalInt.of(2), 0.1, OptionalInt.empty(), 16)).isFalse();
        assertThat(sameAsDefaults(OptionalInt.empty(), 0.2, OptionalInt.empty(), 16)).isFalse();
        assertThat(sameAsDefaults(OptionalInt.empty(), 0.1, OptionalInt.of(3), 16)).isFalse();
        assertThat(sameAsDefaults(OptionalInt.empty(), 0.1, OptionalInt.empty(), 8)).isFalse();
    }
}
