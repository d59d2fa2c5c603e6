package io.moescope.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventCodec;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingReader;
import io.moescope.events.validation.RejectReason;
import io.moescope.events.validation.RejectedTokenException;
import io.moescope.ingest.copy.TokenBatch;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Every case is validated as the token is and as ingest receives it, packed where the writer packs it. */
class TokenValidatorTest {

    /** 8 experts, top-2, 6 decoder layers of which 1..4 have a router. */
    private static final RunModel MODEL = RunModel.of("run", 6, 8, 2, List.of(1, 2, 3, 4), "probe");

    @Test
    void acceptsATokenThatFitsItsModel() {
        assertThatCode(() -> checkBothWays(token(decision(1, 0, 7), decision(4, 3, 2)), MODEL))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesALayerBeyondTheModel() {
        assertRejected(token(decision(6, 0, 1)), MODEL, RejectReason.LAYER_OUT_OF_RANGE)
                .hasMessage("layer 6 out of range: run run's model has 6 layers");
    }

    @Test
    void refusesALayerWithoutARouter() {
        assertRejected(token(decision(0, 0, 1)), MODEL, RejectReason.LAYER_OUT_OF_RANGE)
                .hasMessage("layer 0 has no router in run run's model");
    }

    @Test
    void acceptsAnyLayerBelowNumLayersWhenTheModelDoesNotListItsMoeLayers() {
        var model = RunModel.of("run", 6, 8, 2, List.of(), "probe");
        assertThatCode(() -> checkBothWays(token(decision(0, 0, 1), decision(5, 0, 1)), model))
                .doesNotThrowAnyException();
        assertRejected(token(decision(6, 0, 1)), model, RejectReason.LAYER_OUT_OF_RANGE);
    }

    @Test
    void refusesAnExpertIdBeyondTheModel() {
        assertRejected(token(decision(1, 0, 8)), MODEL, RejectReason.EXPERT_OUT_OF_RANGE)
                .hasMessage("layer 1: expert 8 out of range: run run's model has 8 experts");
    }

    @Test
    void refusesADifferentK() {
        assertRejected(token(decision(1, 0, 1, 2), decision(2, 0, 1, 2)), MODEL, RejectReason.TOP_K_MISMATCH)
                .hasMessage("layer 1 chose 3 experts but run run's model routes to top-2");
    }

    @Test
    void refusesInfiniteAndNegativeWeightsWithOrWithoutTheModel() {
        for (float bad : new float[] {Float.POSITIVE_INFINITY, -0.25f}) {
            var token = token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, bad}, 1f));
            assertRejected(token, MODEL, RejectReason.INVALID_WEIGHT)
                    .hasMessage("layer 1: gate weight " + bad + " of expert 1 is not a finite non-negative number");
            assertRejected(token, null, RejectReason.INVALID_WEIGHT);
        }
    }

    @Test
    void refusesALayerWithSomeWeightsNanAndSomeNot() {
        var token = token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, Float.NaN}, 1f));

        assertRejected(token, null, RejectReason.INVALID_WEIGHT)
                .hasMessage("layer 1: 1 of 2 gate weights are NaN (weights are all known or all unknown)");
    }

    @Test
    void acceptsUnknownWeightsOfAWholeLayerFromImportsButNotFromTheProbe() {
        var token = token(new RouterDecision(1, new int[] {0, 1}, new float[] {Float.NaN, Float.NaN}, Float.NaN));
        var imported = RunModel.of("run", 6, 8, 2, List.of(1, 2, 3, 4), "import:jsonl");

        assertThatCode(() -> checkBothWays(token, imported)).doesNotThrowAnyException();
        assertThatCode(() -> checkBothWays(token, null)).doesNotThrowAnyException();
        assertRejected(token, MODEL, RejectReason.INVALID_WEIGHT)
                .hasMessage("layer 1: NaN gate weights in a probe run (a probe knows every weight)");
    }

    @Test
    void aTokenOfIdsOnlyComesPackedWithoutWeightsAndIsValidatedAsAListedOne() {
        float[] unknown = {Float.NaN, Float.NaN};
        var token = token(RouterDecision.withoutEntropy(1, new int[] {0, 1}, unknown),
                RouterDecision.withoutEntropy(3, new int[] {7, 2}, unknown));
        var imported = RunModel.of("run", 6, 8, 2, List.of(1, 2, 3, 4), "import:vllm");

        assertThat(received(token).wireRouting(0).hasWeights()).isFalse();
        assertThatCode(() -> checkBothWays(token, imported)).doesNotThrowAnyException();
        assertThatCode(() -> checkBothWays(token, null)).doesNotThrowAnyException();
        assertRejected(token, MODEL, RejectReason.INVALID_WEIGHT)
                .hasMessage("layer 1: NaN gate weights in a probe run (a probe knows every weight)");
        assertRejected(token(RouterDecision.withoutEntropy(1, new int[] {0, 0}, unknown)), imported,
                RejectReason.DUPLICATE_EXPERT).hasMessage("layer 1: expert 0 chosen twice");
    }

    @Test
    void refusesANegativeOrInfiniteEntropyButAcceptsAnUnknownOne() {
        assertRejected(token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, 0.5f}, -1f)), null,
                RejectReason.INVALID_ENTROPY);
        assertRejected(token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, 0.5f},
                Float.POSITIVE_INFINITY)), null, RejectReason.INVALID_ENTROPY);
        assertThatCode(() -> checkBothWays(token(RouterDecision.withoutEntropy(1, new int[] {0, 1},
                new float[] {0.5f, 0.5f})), MODEL)).doesNotThrowAnyException();
    }

    @Test
    void refusesTheSameExpertTwiceInOneLayer() {
        assertRejected(token(decision(1, 3, 3)), null, RejectReason.DUPLICATE_EXPERT)
                .hasMessage("layer 1: expert 3 chosen twice");
    }

    @Test
    void withoutTheModelStillRefusesWhatCannotBeStored() {
        assertRejected(token(decision(1, 0, 1), decision(1, 2, 3)), null, RejectReason.NOT_STORABLE)
                .hasMessage("token routing cannot be stored: layers not strictly increasing: 1 after 1");
        assertThatCode(() -> checkBothWays(token(decision(40, 0, 1000)), null)).doesNotThrowAnyException();
    }

    @Test
    void tokensTheWriterCanPackReachValidationPackedAndTheOthersListed() {
        assertThat(received(token(decision(1, 0, 7), decision(4, 3, 2))).wireRouting(0)).isNotNull();
        assertThat(received(token(decision(1, 3, 3))).wireRouting(0)).isNotNull();
        assertThat(received(token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, -0.25f}, 1f)))
                .wireRouting(0)).isNull();
    }

    @Test
    void randomTokensAreValidatedAlikeAsTheyAreAndAsReceivedWithAndWithoutTheirModel() {
        var random = new Random(11);
        float[] values = {0.5f, 0.25f, 0f, -0.0f, 1e-9f, Float.NaN, Float.POSITIVE_INFINITY, 70_000f, -0.5f};
        var imported = RunModel.of("run", 6, 8, 2, List.of(), "import:jsonl");
        int accepted = 0;
        for (int i = 0; i < 3_000; i++) {
            int k = 1 + random.nextInt(3);
            var decisions = new RouterDecision[random.nextInt(4)];
            for (int d = 0; d < decisions.length; d++) {
                int[] ids = random.ints(k, 0, 10).toArray();
                float[] weights = new float[k];
                for (int j = 0; j < k; j++) {
                    weights[j] = random.nextInt(3) == 0 ? values[random.nextInt(values.length)] : 0.5f;
                }
                float entropy = random.nextBoolean() ? 1.5f : values[random.nextInt(values.length)];
                decisions[d] = new RouterDecision(d + random.nextInt(3), ids, weights, entropy);
            }
            TokenRouting token = token(decisions);
            for (RunModel model : new RunModel[] {MODEL, imported, null}) {
                if (outcome(() -> checkBothWays(token, model)) == null) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).as("tokens accepted").isBetween(500, 8_500);
    }

    /**
     * Validates the token as it is and as ingest receives it (written by the codec, read into a batch: packed when
     * the writer packs it), and requires the same outcome, reason and message of both; then the outcome.
     */
    private static void checkBothWays(TokenRouting token, RunModel model) {
        RejectedTokenException direct = outcome(() -> TokenValidator.check(token, model));
        TokenBatch batch = received(token);
        RejectedTokenException asReceived = outcome(() -> TokenValidator.check(batch.view(0), batch.wireRouting(0),
                model));
        if (direct == null || asReceived == null) {
            assertThat(asReceived).as("validated as received").isNull();
            assertThat(direct).as("validated as it is").isNull();
            return;
        }
        assertThat(asReceived.reason()).isEqualTo(direct.reason());
        assertThat(asReceived.getMessage()).isEqualTo(direct.getMessage());
        throw direct;
    }

    private static RejectedTokenException outcome(Runnable check) {
        try {
            check.run();
            return null;
        } catch (RejectedTokenException e) {
            return e;
        }
    }

    private static TokenBatch received(TokenRouting token) {
        var codec = new EventCodec();
        var batch = new TokenBatch(1);
        new TokenRoutingReader(codec).readInto(codec.encode(token), batch);
        return batch;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(TokenRouting token, RunModel model,
                                                                               RejectReason reason) {
        return assertThatThrownBy(() -> checkBothWays(token, model))
                .isInstanceOfSatisfying(RejectedTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static TokenRouting token(RouterDecision... decisions) {
        return new TokenRouting("run", "req", 0, 1, Phase.PREFILL, 0L, List.of(decisions));
    }

    private static RouterDecision decision(int layer, int... experts) {
        float[] weights = new float[experts.length];
        java.util.Arrays.fill(weights, 1f / experts.length);
        return new RouterDecision(layer, experts, weights, 1.2f);
    }
}
