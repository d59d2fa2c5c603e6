package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Tags;
import io.moescope.analytics.load.ExpertLoad;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoutingSeriesTest {

    /** Layer 3 of 8 experts: shares 0.5 (expert 1), 0.25 (2), 0.25 (3), none for the other five. */
    private static final ExpertLoad LAYER_3 = new ExpertLoad(3, new long[] {0, 40, 20, 20, 0, 0, 0, 0});

    private static Series layer(String name) {
        return new Series(name, Tags.of("run", "r", "layer", "3"));
    }

    private static Series expert(int expert) {
        return new Series("moescope.expert.load.share", Tags.of("run", "r", "layer", "3", "expert", "" + expert));
    }

    @Test
    void aLayerHasItsFourSummariesAndTheShareOfItsTopTwoExpertsLowestIdOnTies() {
        Map<Series, Double> series = new RoutingSeries(2).of("r", List.of(LAYER_3));

        assertThat(series).containsOnlyKeys(layer("moescope.layer.max.vio"),
                layer("moescope.layer.normalised.entropy"), layer("moescope.layer.dead.experts"),
                layer("moescope.layer.hottest.expert.share"), expert(1), expert(2));
        // mean 80 / 8 = 10, max 40: (40 - 10) / 10
        assertThat(series.get(layer("moescope.layer.max.vio"))).isEqualTo(3.0);
        // H = 0.5 ln 2 + 2 x 0.25 ln 4 = 1.5 ln 2, over ln 8 = 3 ln 2
        assertThat(series.get(layer("moescope.layer.normalised.entropy"))).isCloseTo(0.5, within(1e-12));
        // p < 0.1 / 8: experts 0, 4, 5, 6, 7
        assertThat(series.get(layer("moescope.layer.dead.experts"))).isEqualTo(5.0);
        assertThat(series.get(layer("moescope.layer.hottest.expert.share"))).isEqualTo(0.5);
        assertThat(series.get(expert(1))).isEqualTo(0.5);
        assertThat(series.get(expert(2))).isEqualTo(0.25);
    }

    @Test
    void anExpertNeverChosenInTheWindowIsNotAmongTheHottest() {
        Map<Series, Double> series = new RoutingSeries(5).of("r", List.of(LAYER_3));

        assertThat(series.keySet().stream().filter(s -> s.name().equals("moescope.expert.load.share")))
                .containsExactlyInAnyOrder(expert(1), expert(2), expert(3));
    }

    @Test
    void zeroTopExpertsLeavesOnlyTheLayerSummaries() {
        assertThat(new RoutingSeries(0).of("r", List.of(LAYER_3)).keySet()).extracting(Series::name)
                .containsExactlyInAnyOrder("moescope.layer.max.vio", "moescope.layer.normalised.entropy",
                        "moescope.layer.dead.experts", "moescope.layer.hottest.expert.share");
    }

    @Test
    void aLayerWithoutRoutedTokensHasNoSeries() {
        assertThat(new RoutingSeries(3).of("r", List.of(new ExpertLoad(0, new long[8])))).isEmpty();
    }

    @Test
    void aDeepSeekV3RunHas406SeriesWithTheDefaultTopThree() {
        // its MoE layers 3..60 (the first 3 of 61 are dense), 256 experts each, every expert chosen:
        // 58 x (4 summaries + 3 experts), not 58 x (3 + 256) = 15,022
        List<ExpertLoad> layers = IntStream.range(3, 61)
                .mapToObj(l -> new ExpertLoad(l, IntStream.range(0, 256).mapToLong(e -> e + 1).toArray())).toList();

        assertThat(new RoutingSeries(3).of("r", layers)).hasSize(406);
    }

    @Test
    void aTopExpertsCountOutsideItsBoundsIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new RoutingSeries(65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("moescope.metrics.top-experts-per-layer must be between 0 (no per-expert series) and 64"
                        + " but was 65");
    }
}
