package io.moescope.analytics.collapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.collapse.CollapseVerdict.Status;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CollapseVerdictTest {

    private static long[] counts(int n, long first, long rest) {
        long[] counts = new long[n];
        Arrays.fill(counts, rest);
        counts[0] = first;
        return counts;
    }

    @Test
    void aUniformLoadIsHealthy() {
        assertThat(CollapseVerdict.of(new ExpertLoad(0, new long[] {3, 3, 3, 3})))
                .isEqualTo(new CollapseVerdict(0, Status.HEALTHY,
                        "no rule fired (normalised entropy 1.000, effective experts 4.00 of 4)"));
    }

    @Test
    void fewEffectiveExpertsMeanCollapsed() {
        // N = 16, all tokens on experts 0 and 1 (top-2): exp(H) = 2, 2/16 = 0.125 < 0.25
        long[] c = new long[16];
        c[0] = 10;
        c[1] = 10;
        assertThat(CollapseVerdict.of(new ExpertLoad(0, c)).rule())
                .isEqualTo("effective experts 2.00 of 16 = 0.125 < 0.250");
    }

    @Test
    void moreThanHalfTheExpertsDeadMeansCollapsed() {
        // N = 8, p = 1/3 on experts 0..2: exp(H) = 3, 3/8 = 0.375 passes rule 1; 5 of 8 dead = 0.625 > 0.5
        var verdict = CollapseVerdict.of(new ExpertLoad(0, new long[] {10, 10, 10, 0, 0, 0, 0, 0}));
        assertThat(verdict.status()).isEqualTo(Status.COLLAPSED);
        assertThat(verdict.rule()).isEqualTo("dead experts 5 of 8 = 0.625 > 0.500");
    }

    @Test
    void aSingleDeadExpertMeansDegraded() {
        var verdict = CollapseVerdict.of(new ExpertLoad(0, new long[] {10, 10, 10, 10, 10, 10, 10, 0}));
        assertThat(verdict.status()).isEqualTo(Status.DEGRADED);
        assertThat(verdict.rule()).isEqualTo("1 dead experts (share < 0.100 x 1/8)");
    }

    @Test
    void lowNormalisedEntropyWithoutDeadExpertsMeansDegraded() {
        // p = (0.7, 0.1, 0.1, 0.1): H = 0.7 ln(1/0.7) + 0.3 ln 10 = 0.9404479, / ln 4 = 0.678 < 0.9
        assertThat(CollapseVerdict.of(new ExpertLoad(0, new long[] {70, 10, 10, 10})).rule())
                .isEqualTo("normalised entropy 0.678 < 0.900");
    }

    @Test
    void aDominantExpertAboveThreeTimesUniformMeansDegradedEvenWithHighEntropy() {
        // N = 16, p_0 = 0.25, the 15 others 0.05: H = 0.25 ln 4 + 0.75 ln 20 = 2.5934, / ln 16 = 0.935 >= 0.9;
        // 0.25 = 4 x 1/16 > 3 x
        assertThat(CollapseVerdict.of(new ExpertLoad(0, counts(16, 25, 5))).rule())
                .isEqualTo("expert 0 share 0.250 = 4.00 x 1/16 > 3.00 x");
    }

    @Test
    void thresholdsAreParameters() {
        // the load that fails the 0.9 entropy rule passes an entropy bar of 0.6 and its 0.7 = 2.8 x 1/4 < 3 x
        var lenient = new CollapseThresholds(0.1, 0.25, 0.5, 0.6, 3.0);
        assertThat(CollapseVerdict.of(new ExpertLoad(0, new long[] {70, 10, 10, 10}), lenient).status())
                .isEqualTo(Status.HEALTHY);
    }

    @Test
    void aSingleExpertLayerIsHealthy() {
        assertThat(CollapseVerdict.of(new ExpertLoad(0, new long[] {9})).status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void aVerdictOnAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> CollapseVerdict.of(new ExpertLoad(0, new long[] {0, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no routed tokens");
    }

    @Test
    void aThresholdOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> new CollapseThresholds(0.1, 0.25, 0.5, 1.2, 3.0))
                .hasMessage("degradedNormalisedEntropy must be in [0, 1] but was 1.2");
    }
}
