package io.moescope.analytics.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

class JensenShannonTest {

    @Test
    void identicalDistributionsHaveZeroDivergence() {
        assertThat(JensenShannon.nats(new double[] {0.2, 0.3, 0.5}, new double[] {0.2, 0.3, 0.5})).isZero();
    }

    @Test
    void disjointDistributionsReachLnTwoNatsOrOneBit() {
        assertThat(JensenShannon.nats(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(Math.log(2), within(1e-15));
        assertThat(JensenShannon.bits(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void divergenceIsWorkedOutFromTheDefinition() {
        // p = (0.5, 0.5), q = (1, 0), m = (0.75, 0.25): KL(p||m) = 0.5 ln(2/3) + 0.5 ln 2 = 0.1438410,
        // KL(q||m) = ln(4/3) = 0.2876821; JSD = 0.2157616 nats = 0.3112781 bits
        assertThat(JensenShannon.nats(new double[] {0.5, 0.5}, new double[] {1, 0}))
                .isCloseTo(0.2157615543, within(1e-9));
        assertThat(JensenShannon.bits(new double[] {0.5, 0.5}, new double[] {1, 0}))
                .isCloseTo(0.3112781245, within(1e-9));
    }

    @Test
    void countsAreNormalisedSoScaleDoesNotMatter() {
        assertThat(JensenShannon.nats(new double[] {5, 5}, new double[] {7, 0}))
                .isCloseTo(0.2157615543, within(1e-9));
    }

    @Test
    void divergenceIsSymmetric() {
        double[] p = {0.1, 0.6, 0.3};
        double[] q = {0.4, 0.4, 0.2};
        assertThat(JensenShannon.nats(p, q)).isEqualTo(JensenShannon.nats(q, p));
    }

    @Test
    void anEmptySideIsRefused() {
        assertThatThrownBy(() -> JensenShannon.nats(new double[] {0, 0}, new double[] {1, 0}))
                .hasMessage("the first distribution is empty (sums to zero)");
    }

    @Test
    void distributionsOverDifferentExpertCountsAreRefused() {
        assertThatThrownBy(() -> JensenShannon.nats(new double[] {1}, new double[] {1, 0}))
                .hasMessage("distributions over 1 and 2 experts cannot be compared");
    }

    @Test
    void layerDriftComparesTheSameLayerOfTwoRunsAndSkipsLayersMissingOnOneSide() {
        var a = List.of(new ExpertLoad(0, new long[] {5, 5}), new ExpertLoad(1, new long[] {1, 1}));
        var b = List.of(new ExpertLoad(0, new long[] {8, 0}), new ExpertLoad(2, new long[] {1, 1}));
        var drifts = LayerDrift.between(a, b);
        assertThat(drifts).hasSize(1);
        assertThat(drifts.get(0).layer()).isZero();
        assertThat(drifts.get(0).nats()).isCloseTo(0.2157615543, within(1e-9));
        assertThat(drifts.get(0).bits()).isCloseTo(0.3112781245, within(1e-9));
    }

    @Test
    void driftAgainstAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> LayerDrift.between(new ExpertLoad(3, new long[] {1, 0}),
                new ExpertLoad(3, new long[] {0, 0})))
                .hasMessage("drift is undefined for layer 3: second load has no routed tokens");
    }
}
