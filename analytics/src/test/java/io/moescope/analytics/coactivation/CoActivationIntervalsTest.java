package io.moescope.analytics.coactivation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.evidence.UnitBoundary;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoActivationIntervalsTest {

    private static final double EXACT = 1e-12;

    private static TokenRouting token(String request, int t, int... experts) {
        return new TokenRouting("r", request, t, 100 + t, Phase.DECODE, t,
                List.of(RouterDecision.withoutEntropy(0, experts, new float[experts.length])));
    }

    /** Requests a: (0,1), (0,2) and b: (0,1), (1,2), top-2 of 4, every pair counted, at layer 0. */
    private static CoActivationIntervals twoRequests() {
        var intervals = new CoActivationIntervals(4, 0, PairCounting.ALL_PAIRS, UnitBoundary.requests());
        intervals.accept(token("a", 0, 0, 1));
        intervals.accept(token("a", 1, 0, 2));
        intervals.accept(token("b", 0, 0, 1));
        intervals.accept(token("b", 1, 1, 2));
        return intervals;
    }

    /**
     * CoAct(0, 1): (y, x) = (1, 2) in a and (1, 1) in b, R = 2/3, residuals -1/3 and 1/3, Var = 2 * (2/9) / 3^2 =
     * 4/81, se = 2/9: [2/3 - 1.96 * 2/9, 1], the upper end clipped. CoAct(0, 2): (1, 2) and (0, 1), R = 1/3,
     * residuals 1/3 and -1/3, the same se: [0, 1/3 + 1.96 * 2/9], the lower end clipped.
     */
    @Test
    void eachCellHasTheRatioIntervalOverTheRequests() {
        CoActivationInterval interval = twoRequests().interval95();

        assertThat(interval.low()[0][1]).isCloseTo(2.0 / 3 - 1.96 * 2 / 9, within(EXACT));
        assertThat(interval.high()[0][1]).isEqualTo(1.0);
        assertThat(interval.low()[0][2]).isEqualTo(0.0);
        assertThat(interval.high()[0][2]).isCloseTo(1.0 / 3 + 1.96 * 2 / 9, within(EXACT));
        assertThat(interval.level()).isEqualTo(0.95);
        assertThat(interval.method()).isEqualTo("normal approximation over 2 requests (ratio of sums, linearised)");
        assertThat(interval.units()).isEqualTo(2);
    }

    /** Expert 0 never went to itself nor to 3: those cells are 0 in both requests, an interval of width 0. */
    @Test
    void aPairNeverChosenTogetherHasTheIntervalZeroToZero() {
        CoActivationInterval interval = twoRequests().interval95();

        assertThat(interval.low()[0][3]).isZero();
        assertThat(interval.high()[0][3]).isZero();
        assertThat(interval.high()[0][0]).isZero();
    }

    @Test
    void theRowOfAnExpertNeverChosenHasNoInterval() {
        CoActivationInterval interval = twoRequests().interval95();

        assertThat(interval.unitsChosen()).containsExactly(2, 2, 2, 0);
        assertThat(interval.low()[3]).isNull();
        assertThat(interval.high()[3]).isNull();
    }

    /** Expert 3 is chosen in request b alone: a single unit shows no spread, so its row has no interval. */
    @Test
    void theRowOfAnExpertChosenInOneUnitOnlyHasNoInterval() {
        CoActivationIntervals intervals = twoRequests();
        intervals.accept(token("c", 0, 3, 0));
        CoActivationInterval interval = intervals.interval95();

        assertThat(interval.units()).isEqualTo(3);
        assertThat(interval.unitsChosen()[3]).isEqualTo(1);
        assertThat(interval.low()[3]).isNull();
        assertThat(interval.low()[0]).isNotNull();
    }

    /**
     * One request id for every prompt, 128 tokens: blocks of 64. Block 1 is all (0,1), block 2 all (0,2). CoAct(0, 1):
     * (y, x) = (64, 64) and (0, 64), R = 1/2, residuals 32 and -32, Var = 2 * 2048 / 128^2 = 1/4, se = 1/2: [0, 1].
     */
    @Test
    void withoutRequestsTheUnitsAreBlocksOfTokens() {
        var intervals = new CoActivationIntervals(4, 0, PairCounting.ALL_PAIRS, UnitBoundary.tokenBlocks());
        for (int t = 0; t < 128; t++) {
            intervals.accept(token("one id for every prompt", t, 0, t < 64 ? 1 : 2));
        }
        CoActivationInterval interval = intervals.interval95();

        assertThat(interval.low()[0][1]).isEqualTo(0.0);
        assertThat(interval.high()[0][1]).isEqualTo(1.0);
        assertThat(interval.unitsChosen()).containsExactly(2, 1, 1, 0);
        assertThat(interval.method())
                .isEqualTo("normal approximation over 2 blocks of 64 tokens (ratio of sums, linearised)");
    }

    @Test
    void oneRequestGivesNoInterval() {
        var intervals = new CoActivationIntervals(4, 0, PairCounting.ALL_PAIRS, UnitBoundary.requests());
        intervals.accept(token("a", 0, 0, 1));
        intervals.accept(token("a", 1, 0, 2));

        assertThatThrownBy(intervals::interval95).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interval from 1 requests with a token routed at layer 0: it needs at least 2");
    }

    /** A request without a decision at the layer is no unit of it. */
    @Test
    void aRequestWithoutATokenAtTheLayerIsNotCounted() {
        CoActivationIntervals intervals = twoRequests();
        intervals.accept(new TokenRouting("r", "c", 0, 100, Phase.DECODE, 0,
                List.of(RouterDecision.withoutEntropy(1, new int[] {0, 1}, new float[2]))));

        assertThat(intervals.interval95().units()).isEqualTo(2);
    }
}
