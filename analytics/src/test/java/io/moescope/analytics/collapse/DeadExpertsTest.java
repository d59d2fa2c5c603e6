package io.moescope.analytics.collapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class DeadExpertsTest {

    @Test
    void anExpertBelowTauOverNIsDeadAndANeverChosenOneIsAlsoListedSeparately() {
        // N = 4, tau = 0.1: threshold 0.025; p = (0.60, 0.38, 0.02, 0): experts 2 and 3 dead, only 3 never chosen
        var dead = DeadExperts.of(new ExpertLoad(0, new long[] {60, 38, 2, 0}));
        assertThat(dead.threshold()).isEqualTo(0.025);
        assertThat(dead.dead()).containsExactly(2, 3);
        assertThat(dead.neverChosen()).containsExactly(3);
    }

    @Test
    void anExpertExactlyAtTheThresholdIsNotDead() {
        // p_2 = 1/40 = 0.025 = 0.1 / 4: the rule is strictly "below"
        var dead = DeadExperts.of(new ExpertLoad(0, new long[] {20, 10, 1, 9}));
        assertThat(dead.dead()).isEmpty();
    }

    @Test
    void tauIsAParameter() {
        // tau = 0.2: threshold 0.05; p = (0.60, 0.37, 0.03, 0): experts 2 and 3
        assertThat(DeadExperts.of(new ExpertLoad(0, new long[] {60, 37, 3, 0}), 0.2).dead()).containsExactly(2, 3);
        assertThat(DeadExperts.of(new ExpertLoad(0, new long[] {60, 37, 3, 0}), 0.1).dead()).containsExactly(3);
    }

    @Test
    void aUniformLoadHasNoDeadExpert() {
        assertThat(DeadExperts.of(new ExpertLoad(0, new long[] {1, 1, 1})).deadCount()).isZero();
    }

    @Test
    void deadExpertsOfAnEmptyLoadAreRefused() {
        assertThatThrownBy(() -> DeadExperts.of(new ExpertLoad(0, new long[] {0, 0})))
                .hasMessage("dead experts are undefined for layer 0: no routed tokens");
    }

    @Test
    void aTauOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> DeadExperts.of(new ExpertLoad(0, new long[] {1}), 1.5))
                .hasMessage("tau must be in [0, 1] but was 1.5");
    }
}
