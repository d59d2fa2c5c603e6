package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.Phase;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The intervals and sample sizes of the suite over two requests: a = tokens 0-1, b = tokens 2-3. Layer 0: a is [0,1]
 * [0,2] (counts 2 1 1 0, MaxVio 1), b is [1,0] [3,2] (1 1 1 1, MaxVio 0), both 3 2 2 1 (MaxVio 0.5). Layer 1 is
 * always [0,1]: MaxVio 1 in every resample.
 */
class SuiteIntervalsTest {

    private static final int[][][] TOP_K = {
        {{0, 1}, {0, 1}}, {{0, 2}, {0, 1}}, {{1, 0}, {0, 1}}, {{3, 2}, {0, 1}}};

    /** Resamples aa, ab, ba, bb: the 2.5th percentile is bb alone, the 97.5th aa alone. */
    @Test
    void aLayersIntervalOverTwoRequestsRunsFromOneRequestAloneToTheOtherAlone() {
        LayerSuite layer0 = suite(RequestSeparation.SEPARABLE).layers().get(0);

        assertThat(layer0.interval95().get("maxVio"))
                .isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2)));
    }

    /**
     * The warm-up at layer 0 with C = 2 (N / 2), every policy alike: a's second token [0,2] finds 0 cached, 1 hit of
     * 4 accesses; b's [3,2] after [1,0] finds none. Hit rate 1 of 8; resampled, from bb's 0 to aa's 1/4.
     */
    @Test
    void theWarmUpHitRateOfEachPolicyHasAnIntervalOverRequests() {
        var warmup = suite(RequestSeparation.SEPARABLE).warmup().value();

        assertThat(warmup.policies()).extracting(p -> p.hitRate()).containsOnly(0.125);
        assertThat(warmup.hitRateInterval95()).containsOnlyKeys(CachePolicy.values()).allSatisfy((policy, interval) ->
                assertThat(interval).isEqualTo(Defined.of(new Interval(0.0, 0.25, 0.95, "bootstrap over 2 requests",
                        2))));
    }

    /** 4 tokens x top-2 = 8 decisions at the layer. */
    @Test
    void aLayerCarriesTheTokensItRestsOn() {
        assertThat(suite(RequestSeparation.SEPARABLE).layers().get(0).tokens()).isEqualTo(4);
    }

    @Test
    void everyFigureOfALayerHasAnInterval() {
        assertThat(suite(RequestSeparation.SEPARABLE).layers().get(0).interval95()).containsOnlyKeys("maxVio", "cv",
                "gini", "normalisedEntropy", "effectiveExperts", "deadExperts", "dominantShare", "minShare");
    }

    /** Mean MaxVio over layers 0 and 1: bb (0 + 1) / 2 = 0.5, aa (1 + 1) / 2 = 1. */
    @Test
    void theModelsIntervalIsOfTheMeanOverLayers() {
        ModelLoadSummary model = suite(RequestSeparation.SEPARABLE).model().value();

        assertThat(model.interval95().get("maxVio"))
                .isEqualTo(Defined.of(new Interval(0.5, 1.0, 0.95, "bootstrap over 2 requests", 2)));
        assertThat(model.tokens()).isEqualTo(4);
    }

    /**
     * Layer 0's pairs: a's (0,1) [0,2] share the first choice and intersect, b's [1,0] [3,2] do neither. Resampled,
     * the shares run from bb's 0 to aa's 1.
     */
    @Test
    void routingConsistencyHasAnIntervalOverRequestsWithEachRequestsPairsTogether() {
        LayerSuite.Consistency layer0 = suite(RequestSeparation.SEPARABLE).layers().get(0).consistency().value();

        assertThat(layer0.sameFirstChoice()).isEqualTo(0.5);
        assertThat(layer0.interval95().get("sameFirstChoice"))
                .isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2)));
        assertThat(layer0.interval95().get("topKIntersect"))
                .isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2)));
    }

    /**
     * Pooled over layers 0 and 1, 4 pairs: layer 1's two pairs ([0,1] then [0,1]) share the first choice, layer 0's
     * only a's: 3 of 4. Resampled: bb 2 of 4, aa 4 of 4.
     */
    @Test
    void theModelsRoutingConsistencyHasAnIntervalOfEveryLayersPairsPooled() {
        MetricSuite.PooledConsistency model = suite(RequestSeparation.SEPARABLE).modelConsistency().value();

        assertThat(model.sameFirstChoice()).isEqualTo(0.75);
        assertThat(model.interval95().get("sameFirstChoice"))
                .isEqualTo(Defined.of(new Interval(0.5, 1.0, 0.95, "bootstrap over 2 requests", 2)));
        assertThat(model.interval95().get("topKIntersect"))
                .isEqualTo(Defined.of(new Interval(0.5, 1.0, 0.95, "bootstrap over 2 requests", 2)));
    }

    /** Without requests the units are blocks of 64 tokens: 4 tokens are one block, too few to resample. */
    @Test
    void withoutRequestsTheIntervalsResampleBlocksOfTokensAndOneBlockIsTooFew() {
        LayerSuite layer0 = suite(RequestSeparation.of("one req_id for every prompt")).layers().get(0);

        assertThat(layer0.interval95().get("gini")).isEqualTo(Defined.undefined("no interval from 1 unit(s) of"
                + " resampling (bootstrap over 1 blocks of 64 tokens): it needs at least 2"));
    }

    /**
     * Co-activation at layer 0, per request: CoAct(0, 1) has (y, x) = (1, 2) in a and (1, 1) in b, R = 2/3,
     * residuals -1/3 and 1/3, Var = 2 * (2/9) / 3^2, se = 2/9; CoAct(0, 2) has (1, 2) and (0, 1), R = 1/3, the same
     * se. Expert 3 is chosen in b alone: no spread to measure, its row has none.
     */
    @Test
    void everyCoActivationCellHasARatioIntervalOverRequests() {
        MetricSuite.CoActivation co = suite(RequestSeparation.SEPARABLE).coActivation().value();

        var interval = co.interval95().value();
        assertThat(interval.low()[0][1]).isCloseTo(2.0 / 3 - 1.96 * 2 / 9, within(1e-12));
        assertThat(interval.high()[0][1]).isEqualTo(1.0);
        assertThat(interval.low()[0][2]).isEqualTo(0.0);
        assertThat(interval.high()[0][2]).isCloseTo(1.0 / 3 + 1.96 * 2 / 9, within(1e-12));
        assertThat(interval.unitsChosen()).containsExactly(2, 2, 2, 1);
        assertThat(interval.low()[3]).isNull();
        assertThat(interval.method()).isEqualTo("normal approximation over 2 requests (ratio of sums, linearised)");
    }

    @Test
    void withoutRequestsCoActivationRestsOnBlocksOfTokensAndOneBlockIsTooFew() {
        MetricSuite.CoActivation co = suite(RequestSeparation.of("one req_id for every prompt")).coActivation()
                .value();

        assertThat(co.interval95()).isEqualTo(Defined.undefined("no interval from 1 blocks of 64 tokens with a token"
                + " routed at layer 0: it needs at least 2"));
    }

    private static MetricSuite suite(RequestSeparation separation) {
        return SuiteOfTokens.of(IntStream.range(0, TOP_K.length).mapToObj(t -> SuiteOfTokens.token(t,
                t < 2 ? "a" : "b", t % 2, Phase.DECODE, TOP_K[t])).toList(), separation);
    }
}
