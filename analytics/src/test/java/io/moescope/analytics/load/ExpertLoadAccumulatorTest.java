package io.moescope.analytics.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertLoadAccumulatorTest {

    private static TokenRouting token(int index, int[] layer0, int[] layer1) {
        return new TokenRouting("r", "q", index, 0, Phase.DECODE, 0, List.of(
                RouterDecision.withoutEntropy(0, layer0, new float[] {0.5f, 0.5f}),
                RouterDecision.withoutEntropy(1, layer1, new float[] {0.5f, 0.5f})));
    }

    @Test
    void countsEveryTopKExpertOncePerTokenAndLayer() {
        var accumulator = new ExpertLoadAccumulator(4);
        accumulator.add(token(0, new int[] {0, 1}, new int[] {3, 2}));
        accumulator.add(token(1, new int[] {0, 2}, new int[] {3, 1}));

        assertThat(accumulator.loads()).containsExactly(
                new ExpertLoad(0, new long[] {2, 1, 1, 0}),
                new ExpertLoad(1, new long[] {0, 1, 1, 2}));
    }

    /** Layers 7 and 2 of a model whose MoE layers are every fifth, first seen in that order. */
    @Test
    void onlyTheLayersSeenAreListedInLayerOrderWhateverTheOrderTheyCameIn() {
        var accumulator = new ExpertLoadAccumulator(4);
        accumulator.add(new TokenRouting("r", "q", 0, 0, Phase.DECODE, 0, List.of(
                RouterDecision.withoutEntropy(7, new int[] {3}, new float[] {1f}),
                RouterDecision.withoutEntropy(2, new int[] {1}, new float[] {1f}))));

        assertThat(accumulator.loads()).containsExactly(
                new ExpertLoad(2, new long[] {0, 1, 0, 0}),
                new ExpertLoad(7, new long[] {0, 0, 0, 1}));
    }

    /** A minute of the rollups, or a step of an aggregate-only run, as wide as another layer's experts. */
    @Test
    void countsCountedElsewhereAddToTheTokensAndZerosAddNoLayer() {
        var accumulator = new ExpertLoadAccumulator(4);
        accumulator.add(token(0, new int[] {0, 1}, new int[] {3, 2}));
        accumulator.add(0, new long[] {5, 0, 0, 1, 0, 0});
        accumulator.add(3, new long[] {0, 0, 0, 0, 0, 0});

        assertThat(accumulator.loads()).containsExactly(
                new ExpertLoad(0, new long[] {6, 1, 0, 1}),
                new ExpertLoad(1, new long[] {0, 0, 1, 1}));
    }

    @Test
    void aCountedChoiceOfAnExpertPastNIsRefusedNamingLayerAndExpert() {
        var accumulator = new ExpertLoadAccumulator(4);

        assertThatThrownBy(() -> accumulator.add(2, new long[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 2: expert id 4 out of range for 4 experts");
    }

    @Test
    void aCopyCountsOnIndependentlyOfItsOriginal() {
        var original = new ExpertLoadAccumulator(4);
        original.add(token(0, new int[] {0, 1}, new int[] {3, 2}));
        var copy = original.copy();

        copy.add(token(1, new int[] {0, 2}, new int[] {3, 1}));
        original.add(new TokenRouting("r", "q", 1, 0, Phase.DECODE, 0, List.of(
                RouterDecision.withoutEntropy(5, new int[] {2}, new float[] {1f}))));

        assertThat(copy.loads()).containsExactly(
                new ExpertLoad(0, new long[] {2, 1, 1, 0}),
                new ExpertLoad(1, new long[] {0, 1, 1, 2}));
        assertThat(original.loads()).containsExactly(
                new ExpertLoad(0, new long[] {1, 1, 0, 0}),
                new ExpertLoad(1, new long[] {0, 0, 1, 1}),
                new ExpertLoad(5, new long[] {0, 0, 1, 0}));
    }

    @Test
    void aLayerBeyondWhatStorageHoldsIsRefused() {
        var accumulator = new ExpertLoadAccumulator(4);
        assertThatThrownBy(() -> accumulator.add(new TokenRouting("r", "q", 0, 0, Phase.DECODE, 0, List.of(
                RouterDecision.withoutEntropy(32_768, new int[] {0}, new float[] {1f})))))
                .hasMessage("layer 32768 out of range: layers are at most 32767");
    }

    @Test
    void sharesOfALayerSumToOne() {
        var accumulator = new ExpertLoadAccumulator(4);
        accumulator.add(token(0, new int[] {0, 1}, new int[] {3, 2}));
        assertThat(accumulator.loads().get(0).shares()).containsExactly(0.5, 0.5, 0.0, 0.0);
    }

    @Test
    void anExpertIdBeyondTheModelsExpertsIsRefused() {
        var accumulator = new ExpertLoadAccumulator(4);
        assertThatThrownBy(() -> accumulator.add(token(0, new int[] {0, 4}, new int[] {1, 2})))
                .hasMessage("layer 0: expert id 4 out of range for 4 experts");
    }

    @Test
    void layerMetricsBundleCountsSharesAndHeadlineMetrics() {
        var metrics = LayerLoadMetrics.of(new ExpertLoad(2, new long[] {6, 2, 0, 0}));
        assertThat(metrics.shares()).containsExactly(0.75, 0.25, 0.0, 0.0);
        assertThat(metrics.maxVio()).isEqualTo(2.0);
    }
}
