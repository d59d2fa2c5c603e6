package io.moescope.analytics.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class BalancednessTest {

    private static final ExpertLoad SKEWED = new ExpertLoad(0, new long[] {6, 2, 0, 0});

    @Test
    void balancednessIsOneWhenEveryGpuGetsTheSameTokens() {
        // GPU 0: experts 0, 1 (3 + 1 = 4), GPU 1: experts 2, 3 (2 + 2 = 4): mean 4 / max 4
        assertThat(Balancedness.of(new ExpertLoad(0, new long[] {3, 1, 2, 2}), new int[] {0, 0, 1, 1}, 2))
                .isEqualTo(1.0);
    }

    @Test
    void balancednessIsMeanOverMaxOfTheGpuLoads() {
        // experts 0, 1 on GPU 0 (6 + 2 = 8), experts 2, 3 on GPU 1 (0): mean 4 / max 8 = 0.5 = 1/G
        assertThat(Balancedness.of(SKEWED, new int[] {0, 0, 1, 1}, 2)).isEqualTo(0.5);
        // experts 0, 3 on GPU 0 (6), experts 1, 2 on GPU 1 (2): mean 4 / max 6 = 0.6667
        assertThat(Balancedness.of(SKEWED, new int[] {0, 1, 1, 0}, 2)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aReplicatedExpertSplitsItsLoadEvenlyOverItsReplicas() {
        // slots 0,1 on GPU 0 and 2,3 on GPU 1; expert 0 (load 6) has 3 replicas of 2 each, expert 1 (load 2) one:
        // GPU 0 = 2 + 2 = 4, GPU 1 = 2 (expert 1) + 2 = 4: balanced
        assertThat(Balancedness.ofReplicas(new double[] {6, 2}, new int[] {0, 0, 1, 0}, 2)).isEqualTo(1.0);
    }

    @Test
    void aPlacementThatDoesNotCoverEveryExpertIsRefused() {
        assertThatThrownBy(() -> Balancedness.of(SKEWED, new int[] {0, 1}, 2))
                .hasMessage("layer 0: placement covers 2 experts but the load has 4");
    }

    @Test
    void aGpuIndexOutsideTheGpusIsRefused() {
        assertThatThrownBy(() -> Balancedness.of(SKEWED, new int[] {0, 1, 2, 0}, 2))
                .hasMessage("GPU index 2 out of range for 2 GPUs");
    }

    @Test
    void balancednessWithoutAnyLoadIsRefused() {
        assertThatThrownBy(() -> Balancedness.of(new ExpertLoad(0, new long[] {0, 0}), new int[] {0, 1}, 2))
                .hasMessage("balancedness is undefined: no GPU has any load");
    }
}
