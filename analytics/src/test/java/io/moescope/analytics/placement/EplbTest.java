package io.moescope.analytics.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EplbTest {

    /** The example of the EPLB README (github.com/deepseek-ai/EPLB), as quoted in docs/metrics.md. */
    private static final double[][] README_WEIGHT = {
            {90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86},
            {20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27}};

    private static EplbPlan readmePlan() {
        return Eplb.rebalance(README_WEIGHT, 16, 4, 2, 8);
    }

    @Test
    void theReadmeExampleReproducesThePublishedPlacement() {
        // Printed by the EPLB README ("# Output: tensor([[ 5, 6, 5, 7, ...") and asserted by vLLM's
        // tests/distributed/test_eplb_algo.py::test_basic_rebalance.
        assertThat(readmePlan().phy2log()).isDeepEqualTo(new int[][] {
                {5, 6, 5, 7, 8, 4, 3, 4, 10, 9, 10, 2, 0, 1, 11, 1},
                {7, 10, 6, 8, 6, 11, 8, 9, 2, 4, 5, 1, 5, 0, 3, 1}});
    }

    @Test
    void theReadmeExampleReplicatesTheExpertsVllmExpects() {
        // vLLM test_basic_rebalance's expected_logcnt; 4 extra replicas per layer, each within its node.
        assertThat(readmePlan().logicalCount()).isDeepEqualTo(new int[][] {
                {1, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1},
                {1, 2, 1, 1, 1, 2, 2, 1, 2, 1, 1, 1}});
        assertThat(readmePlan().hierarchical()).isTrue();
    }

    @Test
    void theReadmeExampleKeepsEachExpertGroupOnOneNode() {
        // groups of 3 experts; node 0 holds slots 0..7, node 1 slots 8..15
        for (int[] layer : readmePlan().phy2log()) {
            for (int group = 0; group < 4; group++) {
                int g = group;
                long nodes = Arrays.stream(new int[] {0, 1}).filter(node -> Arrays.stream(layer, node * 8,
                        node * 8 + 8).anyMatch(e -> e / 3 == g)).count();
                assertThat(nodes).as("nodes holding group %d", group).isEqualTo(1);
            }
        }
    }

    @Test
    void theReadmeExamplePredictsBalancednessBeforeAndAfter() {
        // Before: expert e on GPU floor(e * 8 / 12), one replica. Layer 0 GPU loads 222 40 165 165 43 73 239 86:
        // 1033 / 8 / 239 = 0.5402720. After (replica load = load / replicas), layer 0 GPU loads
        // 121.5 86.5 125 113 147.5 131.5 156 152: 1033 / 8 / 156 = 0.8277244.
        // Layer 1: before max 344 -> 1156 / 8 / 344 = 0.4200581; after max 179.5 -> 1156 / 8 / 179.5 = 0.8050139.
        EplbPlan plan = readmePlan();
        assertThat(plan.balancednessBefore()[0]).isCloseTo(1033.0 / 1912, within(1e-12));
        assertThat(plan.balancednessAfter()[0]).isCloseTo(1033.0 / 1248, within(1e-12));
        assertThat(plan.balancednessBefore()[1]).isCloseTo(289.0 / 688, within(1e-12));
        assertThat(plan.balancednessAfter()[1]).isCloseTo(289.0 / 359, within(1e-12));
    }

    @Test
    void log2phyListsEverySlotUnderItsExpertByReplicaRankPaddedWithMinusOne() {
        EplbPlan plan = readmePlan();
        int[][] phy2log = plan.phy2log();
        int[][][] log2phy = plan.log2phy();
        int[][] counts = plan.logicalCount();
        for (int layer = 0; layer < 2; layer++) {
            for (int expert = 0; expert < 12; expert++) {
                int[] slots = log2phy[layer][expert];
                assertThat(slots).hasSize(2);
                for (int r = 0; r < 2; r++) {
                    if (r < counts[layer][expert]) {
                        assertThat(phy2log[layer][slots[r]]).isEqualTo(expert);
                    } else {
                        assertThat(slots[r]).isEqualTo(-1);
                    }
                }
            }
        }
    }

    @Test
    void theGlobalPolicyRunsWhenGroupsDoNotDivideOverNodes() {
        // 3 groups on 2 nodes -> global policy. Replication: 40 -> e3 (20/replica), 30 -> e2 (15), then 20 vs 20:
        // e1 (lowest id), then 20 -> e3 (13.33). Replica loads by replica: 10 10 15 13.3 | 13.3 15 10 13.3.
        // Packing heaviest first (ties by replica index) into the lightest GPU (ties by GPU index):
        // GPU 0 = e2 + e1 (25), GPU 1 = e2 + e1 (25), GPU 2 = e3 + e3 (26.67), GPU 3 = e3 + e0 (23.33).
        EplbPlan plan = Eplb.rebalance(new double[][] {{10, 20, 30, 40}}, 8, 3, 2, 4);
        assertThat(plan.hierarchical()).isFalse();
        assertThat(plan.phy2log()[0]).containsExactly(2, 1, 2, 1, 3, 3, 3, 0);
        assertThat(plan.logicalCount()[0]).containsExactly(1, 2, 2, 3);
        // before: one expert per GPU, 25 / 40 = 0.625; after: 25 / 26.667 = 0.9375
        assertThat(plan.balancednessBefore()[0]).isEqualTo(0.625);
        assertThat(plan.balancednessAfter()[0]).isCloseTo(0.9375, within(1e-12));
    }

    @Test
    void aSingleExpertIsReplicatedOntoEveryGpu() {
        EplbPlan plan = Eplb.rebalance(new double[][] {{5}}, 2, 1, 1, 2);
        assertThat(plan.phy2log()[0]).containsExactly(0, 0);
        // before: all 5 tokens on GPU 0, mean 2.5 / max 5; after: 2.5 on each
        assertThat(plan.balancednessBefore()[0]).isEqualTo(0.5);
        assertThat(plan.balancednessAfter()[0]).isEqualTo(1.0);
    }

    @Test
    void aLayerWithoutLoadIsBalancedBeforeAndAfter() {
        EplbPlan plan = Eplb.rebalance(new double[][] {{0, 0, 0, 0}}, 4, 2, 1, 2);
        assertThat(plan.balancednessBefore()[0]).isEqualTo(1.0);
        assertThat(plan.balancednessAfter()[0]).isEqualTo(1.0);
    }

    @Test
    void replicasThatDoNotDivideOverTheGpusAreRefused() {
        assertThatThrownBy(() -> Eplb.rebalance(new double[][] {{10, 20, 30, 40}}, 7, 2, 2, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("7 replicas do not divide over 4 GPUs");
    }

    @Test
    void fewerReplicasThanExpertsAreRefused() {
        assertThatThrownBy(() -> Eplb.rebalance(new double[][] {{1, 2, 3, 4}}, 2, 1, 1, 2))
                .hasMessage("2 replicas cannot hold 4 experts");
    }

    @Test
    void aNegativeLoadIsRefused() {
        assertThatThrownBy(() -> Eplb.rebalance(new double[][] {{1, -2}}, 2, 1, 1, 1))
                .hasMessage("layer 0: weight of expert 1 must be finite and >= 0 but was -2.0");
    }

    @Test
    void measuredLoadsGiveTheSamePlanAsTheirCountsAsWeights() {
        var loads = List.of(new ExpertLoad(0, new long[] {90, 132, 40, 61, 104, 165, 39, 4, 73, 56, 183, 86}),
                new ExpertLoad(1, new long[] {20, 107, 104, 64, 19, 197, 187, 157, 172, 86, 16, 27}));
        assertThat(Eplb.rebalance(loads, 16, 4, 2, 8)).isEqualTo(readmePlan());
    }
}
