package io.moescope.traces.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** gpt-oss: top-4 of 8 logits, then a softmax over those 4. */
class TopKSoftmaxTest {

    private static final float[] LOGITS = {0, 3, -1, 2, 1, -2, 3, 0};

    @Test
    void choosesTheLargestLogitsWithTiesToTheLowerId() {
        assertThat(new TopKSoftmax(8, 4).route(LOGITS, null).choice().ids()).containsExactly(1, 6, 3, 4);
    }

    @Test
    void weightsAreTheSoftmaxOverTheChosenLogitsOnly() {
        // softmax(3, 3, 2, 1) = (1, 1, e^-1, e^-2) / (2 + e^-1 + e^-2)
        assertThat(new TopKSoftmax(8, 4).route(LOGITS, null).choice().weights())
                .containsExactly(new float[] {0.3994863f, 0.3994863f, 0.14696279f, 0.05406459f}, within(1e-7f));
    }

    @Test
    void theEntropyIsThatOfTheSoftmaxOverAllNLogits() {
        // -sum p ln p of softmax(0, 3, -1, 2, 1, -2, 3, 0)
        assertThat(new TopKSoftmax(8, 4).route(LOGITS, null).entropy()).isCloseTo(1.3635328f, within(1e-6f));
    }
}
