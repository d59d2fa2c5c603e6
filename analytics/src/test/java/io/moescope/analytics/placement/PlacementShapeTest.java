package io.moescope.analytics.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The bounds of a placement request, for a model of 8 experts: at most 16 x 8 = 128 slots. */
class PlacementShapeTest {

    private static final OptionalInt DEFAULT = OptionalInt.empty();

    @Test
    void withoutReplicasTheSmallestMultipleOfTheGpusHoldingEveryExpertIsUsed() {
        assertThat(PlacementShape.of(8, 3, DEFAULT, 1, 1)).isEqualTo(new PlacementShape(3, 9, 1, 1));
    }

    @Test
    void moreGpusThanExpertsGetOneSlotEach() {
        assertThat(PlacementShape.of(8, 128, DEFAULT, 1, 1).replicas()).isEqualTo(128);
    }

    @Test
    void sixteenReplicasPerExpertIsTheLargestPlan() {
        assertThat(PlacementShape.of(8, 2, OptionalInt.of(128), 4, 2)).isEqualTo(new PlacementShape(2, 128, 4, 2));
        assertThatThrownBy(() -> PlacementShape.of(8, 2, OptionalInt.of(130), 1, 1))
                .hasMessage("replicas must be between 8 (one slot per expert) and 128 (16 x 8 experts) but was 130");
    }

    @Test
    void fewerReplicasThanExpertsAreRefused() {
        assertThatThrownBy(() -> PlacementShape.of(8, 2, OptionalInt.of(6), 1, 1))
                .hasMessage("replicas must be between 8 (one slot per expert) and 128 (16 x 8 experts) but was 6");
    }

    @Test
    void gpusBeyondTheLargestPlanOrBelowOneAreRefused() {
        assertThatThrownBy(() -> PlacementShape.of(8, 129, DEFAULT, 1, 1))
                .hasMessage("gpus must be between 1 and 128 (16 x 8 experts, one slot per GPU at least) but was 129");
        assertThatThrownBy(() -> PlacementShape.of(8, 0, DEFAULT, 1, 1))
                .hasMessage("gpus must be between 1 and 128 (16 x 8 experts, one slot per GPU at least) but was 0");
    }

    @Test
    void replicasMustFillEveryGpuEqually() {
        assertThatThrownBy(() -> PlacementShape.of(8, 3, OptionalInt.of(10), 1, 1))
                .hasMessage("replicas must be a multiple of gpus (3) but was 10");
    }

    @Test
    void groupsMustDivideTheExperts() {
        assertThatThrownBy(() -> PlacementShape.of(8, 2, DEFAULT, 3, 1))
                .hasMessage("groups must divide the 8 experts but was 3");
    }

    @Test
    void nodesMustDivideTheGpus() {
        assertThatThrownBy(() -> PlacementShape.of(8, 2, DEFAULT, 1, 3)).hasMessage("nodes must divide gpus (2) but was 3");
    }
}
