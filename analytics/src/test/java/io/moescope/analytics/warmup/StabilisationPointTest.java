package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StabilisationPointTest {

    private static List<int[]> top1(int... ids) {
        var sequence = new ArrayList<int[]>();
        for (int id : ids) {
            sequence.add(new int[] {id});
        }
        return sequence;
    }

    @Test
    void theLoadStabilisesAtTheFirstWindowFromWhichEveryWindowResemblesTheRest() {
        // N = 2, W = 2, ids 1 1 0 1 0 1 0 1 0 1 (totals 4, 6). s = 0: window (0, 2) vs rest (4, 4):
        // JSD((0, 1), (0.5, 0.5)) = 0.2158 nats >= 0.1. Every later window holds one 0 and one 1, rest (3, 5):
        // JSD((0.5, 0.5), (0.375, 0.625)) = 0.0079 nats < 0.1 -> s = 1
        assertThat(StabilisationPoint.find(top1(1, 1, 0, 1, 0, 1, 0, 1, 0, 1), 2, 2, 0.1)).hasValue(1);
    }

    @Test
    void aLoadThatShiftsAtTheEndNeverStabilises() {
        // the last window (0, 2) against the rest (4, 0) is disjoint: ln 2
        assertThat(StabilisationPoint.find(top1(0, 0, 0, 0, 1, 1), 2, 2, 0.05)).isEmpty();
    }

    @Test
    void aSequenceNoLongerThanTheWindowHasNoRestToCompareWith() {
        assertThat(StabilisationPoint.find(top1(0), 2, 1, 0.05)).isEmpty();
        assertThat(StabilisationPoint.find(List.of(), 2, 1, 0.05)).isEmpty();
    }

    @Test
    void aSingleExpertLayerIsStableFromTheStart() {
        assertThat(StabilisationPoint.find(top1(0, 0, 0), 1, 1, 0.01)).hasValue(0);
    }

    @Test
    void aThresholdAboveLnTwoIsRefused() {
        assertThatThrownBy(() -> StabilisationPoint.find(top1(0, 1), 2, 1, 1.0))
                .hasMessage("threshold must be in (0, ln 2] nats but was 1.0");
    }

    @Test
    void layerSequenceOrdersOneLayersTopKByTokenIndex() {
        var late = new TokenRouting("r", "q", 1, 0, Phase.DECODE, 0, List.of(
                RouterDecision.withoutEntropy(0, new int[] {3, 2}, new float[2]),
                RouterDecision.withoutEntropy(1, new int[] {1, 0}, new float[2])));
        var early = new TokenRouting("r", "q", 0, 0, Phase.PREFILL, 0, List.of(
                RouterDecision.withoutEntropy(1, new int[] {2, 3}, new float[2])));
        assertThat(LayerSequence.of(List.of(late, early), 1)).containsExactly(new int[] {2, 3}, new int[] {1, 0});
    }
}
