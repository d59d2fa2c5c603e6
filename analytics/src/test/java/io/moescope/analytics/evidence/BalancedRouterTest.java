package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BalancedRouterTest {

    private static ExpertLoad decisions(int numExperts, long total) {
        long[] counts = new long[numExperts];
        counts[0] = total;
        return new ExpertLoad(0, counts);
    }

    /**
     * Two decisions over 8 experts land on one expert with probability 1/8, leaving 7 unused; otherwise 6. With 1 in
     * 8 samples at 7, the 95th percentile is 7 and the 5th is 6.
     */
    @Test
    void twoDecisionsOverEightExpertsLeaveSixOrSevenUnused() {
        var balanced = new BalancedRouter();

        assertThat(balanced.quantile(AlertMetric.DEAD_EXPERTS::of, 0.95, decisions(8, 2))).isEqualTo(7);
        assertThat(balanced.quantile(AlertMetric.DEAD_EXPERTS::of, 0.05, decisions(8, 2))).isEqualTo(6);
    }

    /**
     * 100 tokens of a top-8-of-128 model: 6.25 decisions per expert, and the busiest of 128 Poisson(6.25) counts
     * reaches 17 or more in about 1 sample of 20 (P(X >= 17) ~ 0.0007 per expert), a MaxVio of 17 / 6.25 - 1 = 1.7:
     * the default hot-expert threshold of 1 is what chance alone shows at that size.
     */
    @Test
    void aHundredTokensOfATop8Of128ModelShowAMaxVioAboveOneByChance() {
        double bound = new BalancedRouter().quantile(AlertMetric.MAX_VIO::of, 0.95, decisions(128, 800));

        assertThat(bound).isBetween(1.4, 2.1);
    }

    /**
     * A million decisions over 8 experts: counts 125,000 +- sqrt(125,000 x 7/8) = 331. The largest of 8 normal
     * draws passes z = 2.49 (the 0.95^(1/8) quantile) in 5 % of samples, a MaxVio of 2.49 x 331 / 125,000 = 0.0066.
     */
    @Test
    void aMillionDecisionsOverEightExpertsVaryByUnderOnePercent() {
        double bound = new BalancedRouter().quantile(AlertMetric.MAX_VIO::of, 0.95, decisions(8, 1_000_000));

        assertThat(bound).isBetween(0.0055, 0.0077);
    }

    @Test
    void theSameSizeGivesTheSameBoundOnEveryCallAndInstance() {
        double first = new BalancedRouter().quantile(AlertMetric.CV::of, 0.95, decisions(64, 5_000));
        var balanced = new BalancedRouter();

        assertThat(balanced.quantile(AlertMetric.CV::of, 0.95, decisions(64, 5_000))).isEqualTo(first);
        assertThat(balanced.quantile(AlertMetric.CV::of, 0.95, decisions(64, 5_000))).isEqualTo(first);
    }

    @Test
    void theSimulatedLoadsHoldExactlyTheDecisionsOfTheSizeBelowTheApproximation() {
        var balanced = new BalancedRouter();
        long[] totals = new long[1];
        balanced.quantile(load -> totals[0] = Arrays.stream(load.counts()).sum(), 1, decisions(16, 300));

        assertThat(totals[0]).isEqualTo(300);
    }

    @Test
    void aLoadWithoutDecisionsHasNoBalancedCounterpart() {
        assertThatThrownBy(() -> new BalancedRouter().quantile(AlertMetric.MAX_VIO::of, 0.95, decisions(8, 0)))
                .hasMessage("need a load with decisions and 0 < q <= 1, got 0 decisions and q=0.95");
    }
}
