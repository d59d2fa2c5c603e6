package io.moescope.analytics.placement;

import java.util.Arrays;

/**
 * The result of {@link Eplb#rebalance}: where every physical expert slot goes, per layer, and what it buys. Slot
 * {@code s} lives on GPU {@code s / (numReplicas / numGpus)}, node {@code s / (numReplicas / numNodes)}.
 *
 * @param phy2log            {@code [layers][numReplicas]}: logical expert held by each physical slot
 * @param log2phy            {@code [layers][experts][maxReplicas]}: physical slots of each logical expert, by replica
 *                           rank, padded with -1 (maxReplicas is the maximum over all layers, as in eplb.py)
 * @param logicalCount       {@code [layers][experts]}: replicas per logical expert
 * @param balancednessBefore per layer, mean/max GPU load with the experts placed contiguously (expert e on GPU
 *                           floor(e * G / N)) and no replica
 * @param balancednessAfter  per layer, mean/max GPU load under this plan, each expert's load split evenly over its
 *                           replicas
 * @param hierarchical       true when the hierarchical policy ran (numGroups % numNodes == 0), false for global
 */
public record EplbPlan(int[][] phy2log, int[][][] log2phy, int[][] logicalCount, double[] balancednessBefore,
                       double[] balancednessAfter, boolean hierarchical) {

    public EplbPlan {
        phy2log = deepCopy(phy2log);
        log2phy = Arrays.stream(log2phy).map(EplbPlan::deepCopy).toArray(int[][][]::new);
        logicalCount = deepCopy(logicalCount);
        balancednessBefore = balancednessBefore.clone();
        balancednessAfter = balancednessAfter.clone();
    }

    @Override
    public int[][] phy2log() {
        return deepCopy(phy2log);
    }

    @Override
    public int[][][] log2phy() {
        return Arrays.stream(log2phy).map(EplbPlan::deepCopy).toArray(int[][][]::new);
    }

    @Override
    public int[][] logicalCount() {
        return deepCopy(logicalCount);
    }

    @Override
    public double[] balancednessBefore() {
        return balancednessBefore.clone();
    }

    @Override
    public double[] balancednessAfter() {
        return balancednessAfter.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EplbPlan other && Arrays.deepEquals(phy2log, other.phy2log)
                && Arrays.deepEquals(log2phy, other.log2phy) && Arrays.deepEquals(logicalCount, other.logicalCount)
                && Arrays.equals(balancednessBefore, other.balancednessBefore)
                && Arrays.equals(balancednessAfter, other.balancednessAfter) && hierarchical == other.hierarchical;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(phy2log) * 31 + Arrays.hashCode(balancednessAfter);
    }

    @Override
    public String toString() {
        return "EplbPlan[hierarchical=" + hierarchical + ", phy2log=" + Arrays.deepToString(phy2log)
                + ", balancednessBefore=" + Arrays.toString(balancednessBefore) + ", balancednessAfter="
                + Arrays.toString(balancednessAfter) + "]";
    }

    private static int[][] deepCopy(int[][] a) {
        return Arrays.stream(a).map(int[]::clone).toArray(int[][]::new);
    }
}
