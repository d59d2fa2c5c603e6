package io.moescope.analytics.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingConsistencyAccumulatorTest {

    private static TokenRouting token(String request, int index, int... layer0) {
        return new TokenRouting("run", request, index, 0, Phase.PREFILL, 0,
                List.of(RouterDecision.withoutEntropy(0, layer0, new float[layer0.length])));
    }

    @Test
    void countsSameFirstChoiceAndIntersectingTopKOverConsecutivePairs() {
        // (1,2)->(1,3): same first, intersect; (1,3)->(4,1): intersect via 1; (4,1)->(5,6): neither
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 1, 2));
        acc.add(token("a", 1, 1, 3));
        acc.add(token("a", 2, 4, 1));
        acc.add(token("a", 3, 5, 6));
        RoutingConsistency result = acc.results().get(0);
        assertThat(result.pairs()).isEqualTo(3);
        assertThat(result.sameFirstChoiceShare()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(result.intersectingShare()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void theResultCarriesTheRandomBaselinesForItsNAndK() {
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 1, 2));
        acc.add(token("a", 1, 1, 3));
        RoutingConsistency result = acc.results().get(0);
        assertThat(result.sameFirstChoiceBaseline()).isEqualTo(0.125);
        assertThat(result.intersectingBaseline()).isCloseTo(13.0 / 28, within(1e-15));
    }

    @Test
    void interleavedRequestsArePairedOnlyWithinTheirOwnRequest() {
        // a: (0,1)->(0,1) is a same-first pair; b's (7,6) between them must not break or join it
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 0, 1));
        acc.add(token("b", 0, 7, 6));
        acc.add(token("a", 1, 0, 1));
        RoutingConsistency result = acc.results().get(0);
        assertThat(result.pairs()).isEqualTo(1);
        assertThat(result.sameFirstChoicePairs()).isEqualTo(1);
    }

    @Test
    void tokensThatAreNotConsecutiveDoNotFormAPair() {
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 0, 1));
        acc.add(token("a", 2, 0, 1));
        assertThat(acc.results()).isEmpty();
    }

    @Test
    void aSingleTokenGivesNoResultRatherThanNaN() {
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 0, 1));
        assertThat(acc.results()).isEmpty();
    }

    @Test
    void withKEqualToNEveryPairIntersects() {
        var acc = new RoutingConsistencyAccumulator(2);
        acc.add(token("a", 0, 0, 1));
        acc.add(token("a", 1, 1, 0));
        RoutingConsistency result = acc.results().get(0);
        assertThat(result.intersectingShare()).isEqualTo(1.0);
        assertThat(result.sameFirstChoiceShare()).isZero();
        assertThat(result.intersectingBaseline()).isEqualTo(1.0);
    }

    @Test
    void anEndedRequestStartsAfreshWhenItsIdComesBack() {
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 0, 1));
        acc.endRequest("run", "a");
        acc.add(token("a", 1, 0, 1));
        assertThat(acc.results()).isEmpty();
    }

    @Test
    void aChangeOfTopKWithinALayerIsRefused() {
        var acc = new RoutingConsistencyAccumulator(8);
        acc.add(token("a", 0, 0, 1));
        assertThatThrownBy(() -> acc.add(token("a", 1, 0, 1, 2))).hasMessage("layer 0: top-3 after top-2");
    }
}
