package io.moescope.analytics.evidence;

import static io.moescope.analytics.evidence.Tokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ExpertCounts;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResamplingUnitsTest {

    @Test
    void eachRequestIsOneUnitWithItsOwnCounts() {
        var units = ResamplingUnits.requests(4);
        units.accept(token("a", 0, 0, 1));
        units.accept(token("a", 1, 0, 2));
        units.accept(token("b", 0, 3, 2));

        assertThat(units.size()).isEqualTo(2);
        assertThat(units.counts(0)).isDeepEqualTo(new long[][] {{2, 1, 1, 0}, {0, 0, 1, 1}});
        assertThat(units.method()).isEqualTo("bootstrap over 2 requests");
    }

    @Test
    void eachCallOfRatiosIsOneUnit() {
        var units = ResamplingUnits.requests(1);
        units.acceptRatios(Map.of(0, new long[] {3, 4}));
        units.acceptRatios(Map.of(0, new long[] {1, 4}, 2, new long[] {2, 4}));

        assertThat(units.ratioKeys()).containsExactly(0, 2);
        assertThat(units.ratios(0)).isDeepEqualTo(new long[][] {{3, 4}, {1, 4}});
        assertThat(units.ratios(2)).isDeepEqualTo(new long[][] {{0, 0}, {2, 4}});
        assertThat(units.method()).isEqualTo("bootstrap over 2 requests");
    }

    @Test
    void eachStepOfAnAggregateOnlyRunIsOneUnitWithItsCounts() {
        var units = ResamplingUnits.tokenBlocks(4);
        units.acceptStep(new ExpertCounts("run", 100, Phase.UNKNOWN, 0, 3, List.of(
                new ExpertCounts.LayerCounts(1, new long[] {3, 1, 1, 1}),
                new ExpertCounts.LayerCounts(3, new long[] {0, 1, 3, 2}))));
        units.acceptStep(new ExpertCounts("run", 101, Phase.UNKNOWN, 0, 1, List.of(
                new ExpertCounts.LayerCounts(1, new long[] {0, 1, 0, 1}))));

        assertThat(units.size()).isEqualTo(2);
        assertThat(units.counts(1)).isDeepEqualTo(new long[][] {{3, 1, 1, 1}, {0, 1, 0, 1}});
        assertThat(units.counts(3)).isDeepEqualTo(new long[][] {{0, 1, 3, 2}, {0, 0, 0, 0}});
        assertThat(units.method()).isEqualTo("bootstrap over 2 steps");
    }

    @Test
    void withoutRequestsTheUnitsAreBlocksOfConsecutiveTokens() {
        var units = new ResamplingUnits(4, false, 2, ResamplingUnits.MAX_UNITS);
        for (int t = 0; t < 5; t++) {
            units.accept(token("one id for every prompt", t, t % 4));
        }

        assertThat(units.counts(0)).isDeepEqualTo(new long[][] {{1, 1, 0, 0}, {0, 0, 1, 1}, {1, 0, 0, 0}});
        assertThat(units.method()).isEqualTo("bootstrap over 3 blocks of 2 tokens");
    }

    /**
     * Cap 4, nine one-token requests r0..r8 (r_i to expert i): r4 merges the four units into r0-1, r2-3 and opens
     * r4-5; r6 opens r6-7; r8 merges again into r0-3, r4-7 and opens r8.
     */
    @Test
    void pastTheCapNeighbouringUnitsAreMergedInPairs() {
        var units = new ResamplingUnits(9, true, ResamplingUnits.BLOCK_TOKENS, 4);
        for (int r = 0; r < 9; r++) {
            units.accept(token("r" + r, 0, r));
        }

        assertThat(units.counts(0)).isDeepEqualTo(new long[][] {
            {1, 1, 1, 1, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 1}});
        assertThat(units.method()).isEqualTo("bootstrap over 3 blocks of 4 consecutive requests");
    }

    @Test
    void pairsAddedAfterARequestsTokensStayWithItsUnit() {
        var units = ResamplingUnits.requests(4);
        units.accept(token("a", 0, 0, 1));
        units.addPairs(0, 1, 1, 1);
        units.accept(token("b", 0, 1, 0));
        units.addPairs(0, 2, 0, 1);

        assertThat(units.pairs(0)).isDeepEqualTo(new long[][] {{1, 1, 1}, {2, 0, 1}});
    }

    @Test
    void mergedUnitsAddTheirPairs() {
        var units = new ResamplingUnits(4, true, ResamplingUnits.BLOCK_TOKENS, 2);
        for (int r = 0; r < 3; r++) {
            units.accept(token("r" + r, 0, 0));
            units.addPairs(0, r + 1, r, 1);
        }

        assertThat(units.pairs(0)).isDeepEqualTo(new long[][] {{3, 1, 2}, {3, 2, 1}});
    }

    @Test
    void aUnitWithoutATokenAtALayerCountsZeros() {
        var units = ResamplingUnits.requests(2);
        units.accept(token("a", 0, 1));
        units.accept(new TokenRouting("r", "b", 0, 1, Phase.DECODE, 0, List.of()));

        assertThat(units.counts(0)).isDeepEqualTo(new long[][] {{0, 1}, {0, 0}});
    }
}
