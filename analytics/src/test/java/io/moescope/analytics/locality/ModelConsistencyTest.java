package io.moescope.analytics.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConsistencyTest {

    /** 8 experts top-2: layer 0 has 4 pairs, 1 same / 2 intersecting; layer 5 has 4 pairs, 3 same / 4. */
    private static final List<RoutingConsistency> TWO_LAYERS = List.of(
            new RoutingConsistency(0, 8, 2, 4, 1, 2),
            new RoutingConsistency(5, 8, 2, 4, 3, 4));

    @Test
    void layersWithEqualPairsAverageToThePlainMeanOfTheirShares() {
        var model = ModelConsistency.of(TWO_LAYERS);
        // (1 + 3) / 8 = 0.5 = mean(0.25, 0.75); (2 + 4) / 8 = 0.75 = mean(0.5, 1.0)
        assertThat(model.sameFirstChoice()).isEqualTo(0.5);
        assertThat(model.topKIntersect()).isEqualTo(0.75);
        assertThat(model.pairs()).isEqualTo(8);
        assertThat(model.layers()).isEqualTo(2);
    }

    @Test
    void theRandomBaselinesAreThoseOfTheModelsShape() {
        var model = ModelConsistency.of(TWO_LAYERS);
        assertThat(model.sameFirstChoiceBaseline()).isEqualTo(0.125);
        // 1 - C(6,2)/C(8,2) = 1 - 15/28 = 13/28
        assertThat(model.topKIntersectBaseline()).isCloseTo(13.0 / 28, within(1e-12));
    }

    @Test
    void aLayerWithFewerPairsWeighsWhatItCounted() {
        // layer 0: 1 of 1 pair same; layer 1: 0 of 3: pooled 1/4, not the mean of shares (0.5)
        var model = ModelConsistency.of(List.of(new RoutingConsistency(0, 4, 1, 1, 1, 1),
                new RoutingConsistency(1, 4, 1, 3, 0, 0)));
        assertThat(model.sameFirstChoice()).isEqualTo(0.25);
        assertThat(model.topKIntersect()).isEqualTo(0.25);
    }

    @Test
    void theLayersWithTheLeastAndMostLocalityAreNamed() {
        var model = ModelConsistency.of(TWO_LAYERS);
        assertThat(model.lowestLayer()).isEqualTo(0);
        assertThat(model.highestLayer()).isEqualTo(5);
    }

    @Test
    void noLayerWithAPairIsRefused() {
        assertThatThrownBy(() -> ModelConsistency.of(List.of()))
                .hasMessageStartingWith("routing consistency needs a consecutive token pair");
    }
}
