package io.moescope.analytics.coactivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.coactivation.RouterSaturation.LayerOverlap;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterSaturationTest {

    private static TokenRouting token(String run, int index, int... ids) {
        return new TokenRouting(run, "q", index, 100 + index, Phase.DECODE, 0,
                List.of(RouterDecision.withoutEntropy(0, ids, new float[ids.length])));
    }

    @Test
    void overlapIsTheMeanSharedFractionOfTheTopK() {
        // token 0: {0,1} vs {1,2} -> 1/2; token 1: {3,4} vs {4,3} -> 2/2 (order does not matter); mean 0.75
        var saturation = new RouterSaturation();
        saturation.add(token("bf16", 0, 0, 1), token("int4", 0, 1, 2));
        saturation.add(token("bf16", 1, 3, 4), token("int4", 1, 4, 3));
        assertThat(saturation.results()).containsExactly(new LayerOverlap(0, 2, 0.75));
    }

    @Test
    void eachTokenAddedSaysPerLayerTheExpertsBothRunsChoseOfK() {
        assertThat(new RouterSaturation().add(token("bf16", 0, 0, 1), token("int4", 0, 1, 2)))
                .containsOnlyKeys(0).hasEntrySatisfying(0, shared -> assertThat(shared).containsExactly(1, 2));
    }

    @Test
    void identicalRoutingHasOverlapOne() {
        var saturation = new RouterSaturation();
        saturation.add(token("a", 0, 5), token("b", 0, 5));
        assertThat(saturation.results().get(0).overlap()).isEqualTo(1.0);
    }

    @Test
    void noComparedTokenGivesNoResult() {
        assertThat(new RouterSaturation().results()).isEmpty();
    }

    @Test
    void differentTokensAreRefused() {
        assertThatThrownBy(() -> new RouterSaturation().add(token("a", 0, 1), token("b", 1, 1)))
                .hasMessage("not the same token: index 0 id 100 vs index 1 id 101");
    }
}
