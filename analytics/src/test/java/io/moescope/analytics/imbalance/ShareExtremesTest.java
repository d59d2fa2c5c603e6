package io.moescope.analytics.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class ShareExtremesTest {

    @Test
    void minAndMaxShareAreReportedWithTheirExpertsAndTheUniformShare() {
        // C = 8: p = (0.75, 0.25, 0, 0); min 0 first at expert 2, max 0.75 at expert 0, 1/N = 0.25
        assertThat(ShareExtremes.of(new ExpertLoad(3, new long[] {6, 2, 0, 0})))
                .isEqualTo(new ShareExtremes(3, 0.0, 2, 0.75, 0, 0.25));
    }

    @Test
    void anUnchosenExpertHasMinShareZero() {
        assertThat(ShareExtremes.of(new ExpertLoad(0, new long[] {4, 0, 4})).minShare()).isZero();
    }

    @Test
    void sharesOfAnEmptyLoadAreRefused() {
        assertThatThrownBy(() -> ShareExtremes.of(new ExpertLoad(0, new long[] {0})))
                .hasMessage("shares are undefined for layer 0: no routed tokens");
    }

    @Test
    void loadImbalanceBundlesAllImbalanceMetricsOfALayer() {
        var load = new ExpertLoad(1, new long[] {6, 2, 0, 0});
        var imbalance = LoadImbalance.of(load);
        assertThat(imbalance.maxVio()).isEqualTo(2.0);
        assertThat(imbalance.gini()).isEqualTo(0.625);
        assertThat(imbalance.cv()).isEqualTo(CoefficientOfVariation.of(load));
        assertThat(imbalance.extremes().maxShare()).isEqualTo(0.75);
    }
}
