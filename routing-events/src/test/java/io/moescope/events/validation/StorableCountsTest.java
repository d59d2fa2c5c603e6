package io.moescope.events.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ExpertCounts.LayerCounts;
import io.moescope.events.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule a step of counts must satisfy, for ingest and the count importers alike. */
class StorableCountsTest {

    /** Top-2 of 4 experts, routers at layers 1 and 3 only. */
    private static final StorableCounts.CountedModel MODEL =
            new StorableCounts.CountedModel(4, 2, layer -> layer == 1 || layer == 3);

    private static ExpertCounts step(long tokens, LayerCounts... layers) {
        return new ExpertCounts("run", 7, Phase.UNKNOWN, 0, tokens, List.of(layers));
    }

    @Test
    void aStepWhoseEveryLayerSumsToTokensTimesKIsStorable() {
        assertThatCode(() -> StorableCounts.check(step(2, new LayerCounts(1, new long[] {1, 1, 1, 1}),
                new LayerCounts(3, new long[] {0, 4, 0, 0})), MODEL)).doesNotThrowAnyException();
    }

    @Test
    void aLayerWhoseCountsAreNotTokensTimesKIsNamedWithItsSum() {
        assertThatThrownBy(() -> StorableCounts.check(step(2, new LayerCounts(1, new long[] {1, 1, 1, 0})), MODEL))
                .hasMessage("step 7 layer 1: the counts sum to 3, not 2 tokens x top-2");
    }

    @Test
    void aLayerWithoutARouterIsNamed() {
        assertThatThrownBy(() -> StorableCounts.check(step(1, new LayerCounts(2, new long[] {1, 1, 0, 0})), MODEL))
                .hasMessage("step 7 layer 2: the run's model has no router at this layer");
    }

    @Test
    void countsOfAnotherNumberOfExpertsThanTheModelsAreNamed() {
        assertThatThrownBy(() -> StorableCounts.checkLayer(7, 1, new long[] {1, 1}, MODEL))
                .hasMessage("step 7 layer 1: 2 counts, but the run's model has 4 experts");
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> StorableCounts.checkLayer(7, 1, new long[] {3, -1, 0, 0}, MODEL))
                .hasMessage("step 7 layer 1: a count is negative");
    }

    @Test
    void withoutAKnownModelTheLayersMustCountTheSameChoices() {
        assertThatThrownBy(() -> StorableCounts.check(step(1, new LayerCounts(1, new long[] {1, 1}),
                new LayerCounts(3, new long[] {1, 0})), null))
                .hasMessage("step 7 layer 3: the counts sum to 1, which is not the same multiple of 1 tokens as at"
                        + " the step's first layer (2)");
    }

    @Test
    void layersMustAscendEachOnce() {
        assertThatThrownBy(() -> StorableCounts.check(step(1, new LayerCounts(3, new long[] {1, 1, 0, 0}),
                new LayerCounts(1, new long[] {1, 1, 0, 0})), MODEL))
                .hasMessage("step 7 layer 1: layers must ascend, each once, within 0..65535");
    }

    @Test
    void anExpertIdNoRowCouldHoldIsNamedWithItsBound() {
        assertThatThrownBy(() -> StorableCounts.requireStorableIds(0, 999_999_999))
                .hasMessage("expert id 999999999 is outside 0..32767");
    }
}
