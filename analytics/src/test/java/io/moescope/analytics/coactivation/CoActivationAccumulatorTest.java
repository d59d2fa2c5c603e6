package io.moescope.analytics.coactivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.RouterDecision;
import org.junit.jupiter.api.Test;

class CoActivationAccumulatorTest {

    private static RouterDecision top(int... ids) {
        return RouterDecision.withoutEntropy(0, ids, new float[ids.length]);
    }

    private static CoActivationAccumulator twoTokens(int numExperts, PairCounting counting) {
        var acc = new CoActivationAccumulator(numExperts, counting);
        acc.add(top(0, 1, 2));
        acc.add(top(0, 3, 1));
        return acc;
    }

    @Test
    void coActivationIsTheShareOfAsTokensThatAlsoWentToBAndIsAsymmetric() {
        // all pairs: 0 chosen twice, with 1 both times, with 2 once; 2 chosen once, with 0 that time
        double[][] m = twoTokens(4, PairCounting.ALL_PAIRS).matrix(0);
        assertThat(m[0][1]).isEqualTo(1.0);
        assertThat(m[0][2]).isEqualTo(0.5);
        assertThat(m[2][0]).isEqualTo(1.0);
    }

    @Test
    void adjacentRankCountingSkipsExpertsTwoRanksApart() {
        // token (0,1,2): pairs 0-1 and 1-2, not 0-2; token (0,3,1): 0-3 and 3-1, not 0-1
        double[][] m = twoTokens(4, PairCounting.ADJACENT_RANKS).matrix(0);
        assertThat(m[0][1]).isEqualTo(0.5);
        assertThat(m[0][2]).isZero();
        assertThat(m[2][1]).isEqualTo(1.0);
    }

    @Test
    void anExpertNeverChosenHasAZeroRowAndZeroTimesChosen() {
        var acc = twoTokens(5, PairCounting.ALL_PAIRS);
        assertThat(acc.matrix(0)[4]).containsOnly(0.0);
        assertThat(acc.timesChosen(0, 4)).isZero();
    }

    @Test
    void withKEqualToNEveryExpertAlwaysCoActivatesWithEveryOther() {
        var acc = new CoActivationAccumulator(2, PairCounting.ALL_PAIRS);
        acc.add(top(1, 0));
        assertThat(acc.matrix(0)).isDeepEqualTo(new double[][] {{0, 1}, {1, 0}});
    }

    @Test
    void aLayerNeverSeenIsRefused() {
        assertThatThrownBy(() -> twoTokens(4, PairCounting.ALL_PAIRS).matrix(3))
                .hasMessage("no token routed at layer 3");
    }
}
