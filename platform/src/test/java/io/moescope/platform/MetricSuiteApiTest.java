package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The metric suite, comparison and placement endpoints over runs stored in the real embedded PostgreSQL, with
 * every expected value worked out by hand from the tokens below (N = 4, top-2, layers 0 and 1, one request).
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class MetricSuiteApiTest extends EmbeddedPlatformTest {

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void storeRuns() {
        var runs = new StoredRuns(jdbc);
        runs.store("suite-a", "suite-run-a", 4, 2, StoredRuns.RUN_A);
        runs.store("suite-b", "suite-run-b", 4, 2, StoredRuns.RUN_B);
        runs.storeNotSeparable("suite-c", "suite-run-c", 4, 2, StoredRuns.RUN_B, NOT_SEPARABLE);
        runs.store("suite-tap", "suite-run-tap", 4, 2, StoredRuns.RUN_A);
        runs.store("suite-two", "suite-run-two", 4, 2, StoredRuns.RUN_A, 2);
        runs.tap("suite-tap", "{\"captured\": 120, \"too_large\": 0, \"decode_failed\": 1,"
                + " \"passed_through\": 3, \"upstream_error\": 2}");
    }

    /** Run c's reason, as an import of a route log with one req_id for a batch of prompts stores it. */
    private static final String NOT_SEPARABLE = "requests in stream '0': 3 of its 3 forward passes after the first"
            + " hold several tokens";

    private JsonNode get(String url) {
        return http.getForObject(url, JsonNode.class);
    }

    @Test
    void imbalanceMetricsOfALayerMatchTheHandWorkedValues() {
        JsonNode layer0 = get("/api/runs/suite-a/metrics").path("layers").get(0);
        // mean 2: MaxVio (3-2)/2; CV sqrt((1+0+0+1)/4)/2; Gini 12 / (2 * 16 * 2)
        assertThat(layer0.path("maxVio").asDouble()).isEqualTo(0.5);
        assertThat(layer0.path("cv").asDouble()).isCloseTo(Math.sqrt(0.5) / 2, within(1e-12));
        assertThat(layer0.path("gini").asDouble()).isEqualTo(0.1875);
        assertThat(layer0.path("minShare").asDouble()).isEqualTo(0.125);
        assertThat(layer0.path("minExpert").asInt()).isEqualTo(3);
        assertThat(layer0.path("maxShare").asDouble()).isEqualTo(0.375);
    }

    /**
     * Run A as two requests, tokens 0-1 and 2-3. Layer 0: counts 2 1 1 0 (MaxVio 1) and 1 1 1 1 (MaxVio 0), both
     * 3 2 2 1 (0.5): the bootstrap's 2.5th and 97.5th percentiles are the second and the first request alone.
     */
    @Test
    void eachLayerFigureCarriesItsTokensAndAnIntervalOverTheRequests() {
        JsonNode layer0 = get("/api/runs/suite-two/metrics").path("layers").get(0);
        JsonNode maxVio = layer0.path("interval95").path("maxVio").path("value");

        assertThat(layer0.path("tokens").asLong()).isEqualTo(4);
        assertThat(maxVio.path("low").asDouble()).isZero();
        assertThat(maxVio.path("high").asDouble()).isEqualTo(1.0);
        assertThat(maxVio.path("level").asDouble()).isEqualTo(0.95);
        assertThat(maxVio.path("method").asText()).isEqualTo("bootstrap over 2 requests");
        assertThat(layer0.path("interval95").path("gini").path("value").path("units").asInt()).isEqualTo(2);
    }

    /** Layer 1 is [0,1] always (MaxVio 1): the mean over layers runs from (0 + 1) / 2 to (1 + 1) / 2. */
    @Test
    void theModelSummaryCarriesTheTokensAndTheIntervalOfEachMeanOverLayers() {
        JsonNode model = get("/api/runs/suite-two/metrics").path("model").path("value");
        JsonNode maxVio = model.path("interval95").path("maxVio").path("value");

        assertThat(model.path("tokens").asLong()).isEqualTo(4);
        assertThat(maxVio.path("low").asDouble()).isEqualTo(0.5);
        assertThat(maxVio.path("high").asDouble()).isEqualTo(1.0);
    }

    /** Layer 0's pairs: the first request's (0,1) [0,2] share the first choice, the second's [1,0] [3,2] do not. */
    @Test
    void routingConsistencyOfALayerCarriesAnIntervalOverTheRequests() {
        JsonNode interval = get("/api/runs/suite-two/metrics").path("layers").get(0).path("consistency")
                .path("value").path("interval95").path("sameFirstChoice").path("value");

        assertThat(interval.path("low").asDouble()).isZero();
        assertThat(interval.path("high").asDouble()).isEqualTo(1.0);
        assertThat(interval.path("method").asText()).isEqualTo("bootstrap over 2 requests");
    }

    @Test
    void aRunOfOneRequestHasNoIntervalAndSaysWhy() {
        JsonNode maxVio = get("/api/runs/suite-a/metrics").path("layers").get(0).path("interval95").path("maxVio");

        assertThat(maxVio.path("value").isNull()).isTrue();
        assertThat(maxVio.path("reason").asText()).isEqualTo("no interval from 1 unit(s) of resampling (bootstrap"
                + " over 1 requests): it needs at least 2");
    }

    @Test
    void aLayerWithTwoNeverChosenExpertsBreachesTheSeededDeadExpertRuleAndSaysSo() {
        JsonNode layer1 = get("/api/runs/suite-a/metrics").path("layers").get(1);
        assertThat(layer1.path("deadExperts").path("dead").toString()).isEqualTo("[2,3]");
        assertThat(layer1.path("deadExperts").path("neverChosen").toString()).isEqualTo("[2,3]");
        assertThat(layer1.path("effectiveExperts").asDouble()).isCloseTo(2.0, within(1e-12));
        // the seeded rules in id order: dead experts (> 0) breaches first; entropy 0.5 < 0.7 breaches too, but
        // the first rule in order decides among equally severe ones
        assertThat(layer1.path("verdict").path("status").asText()).isEqualTo("BREACH");
        assertThat(layer1.path("verdict").path("rule").asText()).isEqualTo("dead experts");
        assertThat(layer1.path("verdict").path("reason").asText())
                .isEqualTo("dead_experts 2 breaches rule 'dead experts' (fires when dead_experts > 0)");
        // the sample it rests on: 4 tokens x top-2
        assertThat(layer1.path("verdict").path("decisions").asLong()).isEqualTo(8);
    }

    @Test
    void routingConsistencyCountsConsecutivePairsNextToTheRandomBaselines() {
        // pairs (0,1) (1,2) (2,3): same first choice only in (0,1); top-2 sets intersect in (0,1) and (1,2)
        JsonNode c = get("/api/runs/suite-a/metrics").path("layers").get(0).path("consistency").path("value");
        assertThat(c.path("pairs").asLong()).isEqualTo(3);
        assertThat(c.path("sameFirstChoice").asDouble()).isEqualTo(1.0 / 3);
        assertThat(c.path("topKIntersect").asDouble()).isEqualTo(2.0 / 3);
        assertThat(c.path("sameFirstChoiceBaseline").asDouble()).isEqualTo(0.25);
        assertThat(c.path("topKIntersectBaseline").asDouble()).isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void modelConsistencyPoolsTheConsecutivePairsOfEveryLayer() {
        // layer 0: 1 of 3 same, 2 of 3 intersect; layer 1 always [0,1]: 3 of 3 each -> 4/6 and 5/6
        JsonNode c = get("/api/runs/suite-a/metrics").path("modelConsistency").path("value");
        assertThat(c.path("pairs").asLong()).isEqualTo(6);
        assertThat(c.path("sameFirstChoice").asDouble()).isEqualTo(4.0 / 6);
        assertThat(c.path("topKIntersect").asDouble()).isEqualTo(5.0 / 6);
        assertThat(c.path("sameFirstChoiceBaseline").asDouble()).isEqualTo(0.25);
        assertThat(c.path("topKIntersectBaseline").asDouble()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(c.path("lowestLayer").asInt()).isZero();
        assertThat(c.path("highestLayer").asInt()).isEqualTo(1);
    }

    @Test
    void theModelSummaryAggregatesDeadExpertsAndTheDominantShare() {
        // layer 0 counts 3 2 2 1 (none dead, max 3/8), layer 1 4 4 0 0 (2 dead, max 1/2)
        JsonNode model = get("/api/runs/suite-a/metrics").path("model").path("value");
        assertThat(model.path("deadExperts").path("mean").asDouble()).isEqualTo(1.0);
        assertThat(model.path("deadExperts").path("worstLayer").asInt()).isEqualTo(1);
        assertThat(model.path("dominantShare").path("mean").asDouble()).isEqualTo(0.4375);
    }

    @Test
    void theModelSummaryNamesTheWorstLayer() {
        JsonNode model = get("/api/runs/suite-a/metrics").path("model").path("value");
        assertThat(model.path("maxVio").path("mean").asDouble()).isEqualTo(0.75);
        assertThat(model.path("maxVio").path("worstLayer").asInt()).isEqualTo(1);
        assertThat(model.path("worstVerdict").path("status").asText()).isEqualTo("BREACH");
        assertThat(model.path("worstVerdict").path("layer").asInt()).isEqualTo(1);
    }

    @Test
    void theWarmUpCurveOfAnLruCacheOfTwoExpertsHitsOnlyOnce() {
        // layer 0, C = N/2 = 2: 0m 1m | 0h 2m | 1m 0m | 3m 2m
        JsonNode warmup = get("/api/runs/suite-a/metrics?layer=0").path("warmup").path("value");
        JsonNode lru = warmup.path("policies").get(0);
        assertThat(lru.path("policy").asText()).isEqualTo("LRU");
        assertThat(lru.path("curve").toString()).isEqualTo("[0.0,0.5,0.0,0.0]");
        assertThat(lru.path("hitRate").asDouble()).isEqualTo(0.125);
        assertThat(warmup.path("policies")).hasSize(3);
    }

    @Test
    void coActivationCountsAllPairsOfTheTopK() {
        // expert 0 chosen 3 times: twice with 1 (tokens 0, 2), once with 2 (token 1)
        JsonNode co = get("/api/runs/suite-a/metrics?layer=0").path("coActivation").path("value");
        assertThat(co.path("pairs").asText()).isEqualTo("ALL_PAIRS");
        assertThat(co.path("matrix").get(0).get(1).asDouble()).isEqualTo(2.0 / 3);
        assertThat(co.path("matrix").get(0).get(2).asDouble()).isEqualTo(1.0 / 3);
        assertThat(co.path("timesChosen").toString()).isEqualTo("[3,2,2,1]");
    }

    /**
     * Run A as two requests a = [0,1] [0,2] and b = [1,0] [3,2] at layer 0. CoAct(0, 1): (y, x) = (1, 2) in a and
     * (1, 1) in b, R = 2/3, residuals -1/3 and 1/3, Var = 2 * (2/9) / 3^2, se = 2/9: [2/3 - 1.96 * 2/9, 1] clipped.
     * Expert 3 is chosen in b alone: its row has no interval (null).
     */
    @Test
    void eachCoActivationCellCarriesItsIntervalOverTheRequests() {
        JsonNode interval = get("/api/runs/suite-two/metrics?layer=0").path("coActivation").path("value")
                .path("interval95").path("value");

        assertThat(interval.path("low").get(0).get(1).asDouble()).isCloseTo(2.0 / 3 - 1.96 * 2 / 9, within(1e-12));
        assertThat(interval.path("high").get(0).get(1).asDouble()).isEqualTo(1.0);
        assertThat(interval.path("low").get(3).isNull()).isTrue();
        assertThat(interval.path("unitsChosen").toString()).isEqualTo("[2,2,2,1]");
        assertThat(interval.path("level").asDouble()).isEqualTo(0.95);
        assertThat(interval.path("method").asText())
                .isEqualTo("normal approximation over 2 requests (ratio of sums, linearised)");
    }

    @Test
    void undefinedFiguresAreNullWithAReasonNeverNaN() {
        // 4 tokens: no token id occurs 10 times, so vocabulary specialisation is undefined
        String body = http.getForObject("/api/runs/suite-a/metrics", String.class);
        JsonNode vocabulary = get("/api/runs/suite-a/metrics").path("vocabulary");
        assertThat(vocabulary.path("value").isNull()).isTrue();
        assertThat(vocabulary.path("reason").asText()).contains("no token id occurs at least 10 times");
        assertThat(body).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void aPhaseIsCountedFromTheRollupAndATimeWindowFromTheRawDecisions() {
        // decode = tokens 2 and 3 = routed in [T0+2s, T0+4s): layer 0 counts 1 1 1 1 either way
        JsonNode decode = get("/api/runs/suite-a/metrics?phase=decode");
        JsonNode window = get("/api/runs/suite-a/metrics?from=2026-01-01T00:00:02Z&to=2026-01-01T00:00:04Z");
        assertThat(decode.path("layers").get(0).path("counts").toString()).isEqualTo("[1,1,1,1]");
        assertThat(decode.path("countsSource").asText()).isEqualTo("expert_load rollup");
        assertThat(window.path("layers").get(0).path("counts").toString()).isEqualTo("[1,1,1,1]");
        assertThat(window.path("countsSource").asText()).startsWith("raw decisions");
        assertThat(window.path("tokens").asLong()).isEqualTo(2);
    }

    @Test
    void compareGivesJensenShannonAndTopKOverlapPerLayer() {
        JsonNode comparison = get("/api/compare?a=suite-a&b=suite-b");
        JsonNode layer0 = comparison.path("layers").get(0);
        JsonNode layer1 = comparison.path("layers").get(1);
        // p = (3,2,2,1)/8, q = (2,3,1,2)/8: both halves of the JSD are equal by symmetry
        double jsd = 3.0 / 8 * Math.log(3 / 2.5) + 0.25 * Math.log(2 / 2.5) + 0.25 * Math.log(2 / 1.5)
                + 1.0 / 8 * Math.log(1 / 1.5);
        assertThat(comparison.path("tokensCompared").asLong()).isEqualTo(4);
        assertThat(layer0.path("jsdNats").path("value").asDouble()).isCloseTo(jsd, within(1e-12));
        // overlaps 1, 0, 1, 1 at layer 0; identical at layer 1
        assertThat(layer0.path("topKOverlap").path("value").asDouble()).isEqualTo(0.75);
        assertThat(layer1.path("jsdNats").path("value").asDouble()).isZero();
        assertThat(layer1.path("topKOverlap").path("value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void compareOfOnePhaseComparesOnlyThatPhasesTokens() {
        // decode = tokens 2 and 3, routed identically in A and B
        JsonNode comparison = get("/api/compare?a=suite-a&b=suite-b&phase=decode");
        JsonNode layer0 = comparison.path("layers").get(0);
        assertThat(comparison.path("tokensCompared").asLong()).isEqualTo(2);
        assertThat(layer0.path("jsdNats").path("value").asDouble()).isZero();
        assertThat(layer0.path("topKOverlap").path("value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void compareAggregatesTheLayersForTheModel() {
        JsonNode model = get("/api/compare?a=suite-a&b=suite-b").path("model");
        // overlap 0.75 at layer 0, 1 at layer 1; JSD > 0 only at layer 0
        assertThat(model.path("topKOverlap").path("value").path("mean").asDouble()).isEqualTo(0.875);
        assertThat(model.path("topKOverlap").path("value").path("worstLayer").asInt()).isZero();
        assertThat(model.path("jsdBits").path("value").path("worstLayer").asInt()).isZero();
    }

    @Test
    void sequenceMetricsOfARunWhoseRequestsCannotBeToldApartAreNullWithTheReason() {
        JsonNode suite = get("/api/runs/suite-c/metrics");
        String reason = "requests cannot be told apart: " + NOT_SEPARABLE;

        for (JsonNode figure : new JsonNode[] {suite.path("layers").get(0).path("consistency"),
                suite.path("layers").get(1).path("consistency"), suite.path("modelConsistency"),
                suite.path("warmup")}) {
            assertThat(figure.path("value").isNull()).isTrue();
            assertThat(figure.path("reason").asText()).isEqualTo(reason);
        }
        assertThat(suite.path("layers").get(0).path("counts").toString()).isEqualTo("[2,3,1,2]");
    }

    @Test
    void theRunSaysWhyItsRequestsCannotBeToldApartAndOtherRunsSayNothing() {
        assertThat(get("/api/runs/suite-c").path("requestsNotSeparable").asText()).isEqualTo(NOT_SEPARABLE);
        assertThat(get("/api/runs/suite-a").path("requestsNotSeparable").isNull()).isTrue();
    }

    @Test
    void aTapRunHasItsResponsesByOutcomeInTheTapsOrderAndOtherRunsHaveNone() {
        assertThat(get("/api/runs/suite-tap").path("responses").toString()).isEqualTo("{\"captured\":120,"
                + "\"passed_through\":3,\"decode_failed\":1,\"too_large\":0,\"upstream_error\":2}");
        assertThat(get("/api/runs/suite-a").path("responses").isNull()).isTrue();
    }

    @Test
    void compareWithARunWhoseRequestsCannotBeToldApartHasNoTopKOverlapAndSaysWhy() {
        JsonNode comparison = get("/api/compare?a=suite-a&b=suite-c");
        String reason = "requests cannot be told apart: run suite-c: " + NOT_SEPARABLE;

        for (JsonNode overlap : new JsonNode[] {comparison.path("layers").get(0).path("topKOverlap"),
                comparison.path("layers").get(1).path("topKOverlap"), comparison.path("model").path("topKOverlap")}) {
            assertThat(overlap.path("value").isNull()).isTrue();
            assertThat(overlap.path("reason").asText()).isEqualTo(reason);
        }
        assertThat(comparison.path("model").path("jsdBits").path("value").path("worstLayer").asInt()).isZero();
    }

    @Test
    void placementOnTwoGpusBalancesBothLayersFully() {
        // before: layer 0 GPU loads 5 | 3 -> 4/5; layer 1 8 | 0 -> 4/8. EPLB packs heaviest first -> 4 | 4 each.
        JsonNode plan = get("/api/runs/suite-a/placement?gpus=2");
        assertThat(plan.path("replicas").asInt()).isEqualTo(4);
        assertThat(plan.path("layers").get(0).path("balancednessBefore").asDouble()).isEqualTo(0.8);
        assertThat(plan.path("layers").get(1).path("balancednessBefore").asDouble()).isEqualTo(0.5);
        assertThat(plan.path("balancednessBefore").path("mean").asDouble()).isEqualTo(0.65);
        assertThat(plan.path("balancednessAfter").path("min").asDouble()).isEqualTo(1.0);
    }

    @Test
    void placementOfOnePhaseBalancesThatPhasesLoads() {
        // prefill = tokens 0 and 1: layer 0 counts 2 1 1 0 -> GPU loads 3 | 1 -> 2/3; layer 1 2 2 0 0 -> 4 | 0 -> 1/2
        JsonNode plan = get("/api/runs/suite-a/placement?gpus=2&phase=prefill");
        assertThat(plan.path("layers").get(0).path("balancednessBefore").asDouble()).isCloseTo(2.0 / 3,
                within(1e-12));
        assertThat(plan.path("layers").get(1).path("balancednessBefore").asDouble()).isEqualTo(0.5);
        assertThat(plan.path("balancednessAfter").path("min").asDouble()).isEqualTo(1.0);
    }

    /**
     * Run A as two requests. Layer 0: the first request's counts 2 1 1 0 sit 3 | 1 on the GPUs before (2/3), the
     * second's 1 1 1 1 sit 2 | 2 (1); EPLB's plan (experts 0 and 3 | 1 and 2) balances both fully. Layer 1 is 2 2 0 0
     * in each: 0.5 before, 1 after. The 2.5th and 97.5th percentiles are one request alone and the other.
     */
    @Test
    void placementCarriesEachLayersTokensAndIntervalsOfItsBalancednessOverTheRequests() {
        JsonNode layer0 = get("/api/runs/suite-two/placement?gpus=2").path("layers").get(0);
        JsonNode before = layer0.path("interval95").path("balancednessBefore").path("value");
        JsonNode after = layer0.path("interval95").path("balancednessAfter").path("value");

        assertThat(layer0.path("tokens").asLong()).isEqualTo(4);
        assertThat(before.path("low").asDouble()).isEqualTo(2.0 / 3);
        assertThat(before.path("high").asDouble()).isEqualTo(1.0);
        assertThat(before.path("method").asText()).isEqualTo("bootstrap over 2 requests");
        assertThat(after.path("low").asDouble()).isEqualTo(1.0);
        assertThat(after.path("high").asDouble()).isEqualTo(1.0);
    }

    /** The mean over layers before: (2/3 + 1/2) / 2 with the first request alone, (1 + 1/2) / 2 with the second. */
    @Test
    void placementsMeanBalancednessCarriesItsInterval() {
        JsonNode mean = get("/api/runs/suite-two/placement?gpus=2").path("balancednessBefore").path("interval95")
                .path("mean").path("value");

        assertThat(mean.path("low").asDouble()).isCloseTo(7.0 / 12, within(1e-12));
        assertThat(mean.path("high").asDouble()).isEqualTo(0.75);
    }

    @Test
    void placementOfOneRequestHasNoIntervalAndSaysWhy() {
        JsonNode plan = get("/api/runs/suite-a/placement?gpus=2");
        String reason = "no interval from 1 unit(s) of resampling (bootstrap over 1 requests): it needs at least 2";

        for (JsonNode interval : new JsonNode[] {
            plan.path("layers").get(0).path("interval95").path("balancednessAfter"),
            plan.path("balancednessAfter").path("interval95").path("mean")}) {
            assertThat(interval.path("value").isNull()).isTrue();
            assertThat(interval.path("reason").asText()).isEqualTo(reason);
        }
    }

    /** Prefill is the first request's two tokens: one unit, where the whole run has two. */
    @Test
    void placementOfOnePhaseRestsOnThatPhasesTokensAndRequests() {
        JsonNode layer0 = get("/api/runs/suite-two/placement?gpus=2&phase=prefill").path("layers").get(0);

        assertThat(layer0.path("tokens").asLong()).isEqualTo(2);
        assertThat(layer0.path("interval95").path("balancednessBefore").path("reason").asText())
                .contains("from 1 unit(s)");
    }

    @Test
    void aPlacementThatDoesNotDivideIsRefusedWithTheReason() {
        var response = http.getForEntity("/api/runs/suite-a/placement?gpus=2&replicas=5", JsonNode.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody().path("detail").asText())
                .isEqualTo("replicas must be a multiple of gpus (2) but was 5");
    }

    @Test
    void anUnknownRunIsNotFound() {
        assertThat(http.getForEntity("/api/runs/nope/metrics", String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }
}
