package io.moescope.ingest.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.RejectReason;
import io.moescope.events.validation.RejectedTokenException;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class TokenValidatorTest {

    /** 8 experts, top-2, 6 decoder layers of which 1..4 have a router. */
    private static final RunModel MODEL = RunModel.of("run", 6, 8, 2, List.of(1, 2, 3, 4), "probe");

    @Test
    void acceptsATokenThatFitsItsModel() {
        assertThatCode(() -> TokenValidator.check(token(decision(1, 0, 7), decision(4, 3, 2)), MODEL))
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
        assertThatCode(() -> TokenValidator.check(token(decision(0, 0, 1), decision(5, 0, 1)), model))
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

        assertThatCode(() -> TokenValidator.check(token, imported)).doesNotThrowAnyException();
        assertThatCode(() -> TokenValidator.check(token, null)).doesNotThrowAnyException();
        assertRejected(token, MODEL, RejectReason.INVALID_WEIGHT)
                .hasMessage("layer 1: NaN gate weights in a probe run (a probe knows every weight)");
    }

    @Test
    void refusesANegativeOrInfiniteEntropyButAcceptsAnUnknownOne() {
        assertRejected(token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, 0.5f}, -1f)), null,
                RejectReason.INVALID_ENTROPY);
        assertRejected(token(new RouterDecision(1, new int[] {0, 1}, new float[] {0.5f, 0.5f},
                Float.POSITIVE_INFINITY)), null, RejectReason.INVALID_ENTROPY);
        assertThatCode(() -> TokenValidator.check(token(RouterDecision.withoutEntropy(1, new int[] {0, 1},
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
        assertThatCode(() -> TokenValidator.check(token(decision(40, 0, 1000)), null)).doesNotThrowAnyException();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(TokenRouting token, RunModel model,
                                                                               RejectReason reason) {
        return assertThatThrownBy(() -> TokenValidator.check(token, model))
                .isInstanceOfSatisfying(RejectedTokenException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason));
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
