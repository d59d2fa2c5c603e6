package io.moescope.analytics.collapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class DominantShareTest {

    @Test
    void dominantShareIsTheLargestShareComparedWithOneOverN() {
        // p = (0.25, 0.75, 0, 0): expert 1, 0.75 = 3 x 1/4
        var dominant = DominantShare.of(new ExpertLoad(5, new long[] {2, 6, 0, 0}));
        assertThat(dominant).isEqualTo(new DominantShare(5, 1, 0.75, 0.25));
        assertThat(dominant.timesUniform()).isEqualTo(3.0);
    }

    @Test
    void aUniformLoadIsOneTimesUniform() {
        assertThat(DominantShare.of(new ExpertLoad(0, new long[] {2, 2})).timesUniform()).isEqualTo(1.0);
    }

    @Test
    void dominantShareOfAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> DominantShare.of(new ExpertLoad(0, new long[] {0})))
                .hasMessage("dominant share is undefined for layer 0: no routed tokens");
    }
}
