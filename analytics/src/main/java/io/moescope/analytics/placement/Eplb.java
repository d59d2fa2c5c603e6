package io.moescope.analytics.placement;

import io.moescope.analytics.imbalance.Balancedness;
import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.List;

/**
 * DeepSeek's expert-parallelism load balancer, ported from github.com/deepseek-ai/EPLB eplb.py
 * ({@code rebalance_experts}, {@code rebalance_experts_hierarchical}, {@code replicate_experts},
 * {@code balanced_packing}) so that moescope can predict what a rebalance would buy for a measured load.
 *
 * <p>Hierarchical policy (used when numGroups % numNodes == 0): (1) pack the expert groups onto nodes with
 * balanced packing, so a group stays on one node; (2) within each node, replicate the hottest experts greedily
 * ({@link ExpertReplication}); (3) pack the node's replicas onto its GPUs with balanced packing, replica weight =
 * expert load / replicas. Global policy (otherwise): the same with one group and one node. Layers are independent.
 * Tie-breaking follows eplb.py on CPU; see {@link BalancedPacking} and {@link ExpertReplication}.
 */
public final class Eplb {

    private Eplb() {
    }

    /**
     * @param weight      {@code [layers][experts]} load per logical expert (token counts), non-negative
     * @param numReplicas physical expert slots per layer, a multiple of numGpus, at least the number of experts
     * @param numGroups   expert groups; must divide the number of experts
     * @param numNodes    server nodes; must divide numGpus
     * @param numGpus     GPUs in all
     * @throws IllegalArgumentException when the shape constraints of eplb.py do not hold
     */
    public static EplbPlan rebalance(double[][] weight, int numReplicas, int numGroups, int numNodes, int numGpus) {
        if (weight.length == 0 || weight[0].length == 0) {
            throw new IllegalArgumentException("weight needs at least one layer and one expert");
        }
        if (numGroups < 1 || numNodes < 1) {
            throw new IllegalArgumentException("numGroups and numNodes must be >= 1 but were " + numGroups + " and "
                    + numNodes);
        }
        // eplb.py: the hierarchical policy needs whole groups per node; otherwise the global policy.
        boolean hierarchical = numGroups % numNodes == 0;
        int groups = hierarchical ? numGroups : 1;
        int nodes = hierarchical ? numNodes : 1;
        int numExperts = weight[0].length;
        validate(numExperts, numReplicas, groups, nodes, numGpus);
        int layers = weight.length;
        int[][] phy2log = new int[layers][];
        int[][] phyRank = new int[layers][];
        int[][] logcnt = new int[layers][];
        double[] before = new double[layers];
        double[] after = new double[layers];
        for (int l = 0; l < layers; l++) {
            if (weight[l].length != numExperts) {
                throw new IllegalArgumentException("layer " + l + " has " + weight[l].length + " experts, layer 0 "
                        + numExperts);
            }
            var layerPlan = HierarchicalLayerPlan.of(toFloat(weight[l], l), numReplicas, groups, nodes, numGpus);
            phy2log[l] = layerPlan.phy2log();
            phyRank[l] = layerPlan.phyRank();
            logcnt[l] = layerPlan.logcnt();
            before[l] = balancednessBefore(weight[l], numGpus);
            after[l] = balancednessAfter(weight[l], phy2log[l], numGpus);
        }
        return new EplbPlan(phy2log, log2phy(phy2log, phyRank, logcnt, numExperts), logcnt, before, after,
                hierarchical);
    }

    /**
     * The same from measured loads, one {@link ExpertLoad} per layer in the given order (counts as weights), so a
     * run's loads can be fed in directly.
     */
    public static EplbPlan rebalance(List<ExpertLoad> loads, int numReplicas, int numGroups, int numNodes,
                                     int numGpus) {
        double[][] weight = new double[loads.size()][];
        for (int l = 0; l < weight.length; l++) {
            weight[l] = weight(loads.get(l));
        }
        return rebalance(weight, numReplicas, numGroups, numNodes, numGpus);
    }

    /** A measured load as EPLB's weights: the counts. */
    public static double[] weight(ExpertLoad load) {
        return Arrays.stream(load.counts()).asDoubleStream().toArray();
    }

    private static void validate(int experts, int replicas, int groups, int nodes, int gpus) {
        if (gpus < 1) {
            throw new IllegalArgumentException("numGpus must be >= 1 but was " + gpus);
        }
        if (experts % groups != 0) {
            throw new IllegalArgumentException(experts + " experts do not divide into " + groups + " groups");
        }
        if (gpus % nodes != 0) {
            throw new IllegalArgumentException(gpus + " GPUs do not divide over " + nodes + " nodes");
        }
        if (replicas % gpus != 0) {
            throw new IllegalArgumentException(replicas + " replicas do not divide over " + gpus + " GPUs");
        }
        if (replicas < experts) {
            throw new IllegalArgumentException(replicas + " replicas cannot hold " + experts + " experts");
        }
    }

    /**
     * A plan's "before" of one layer: expert e on GPU floor(e * G / N), one replica each; an all-zero layer counts as
     * balanced (1.0). Public so that a plan's figures can be recomputed on other loads (their intervals).
     */
    public static double balancednessBefore(double[] weight, int numGpus) {
        if (isZero(weight)) {
            return 1.0;
        }
        double[] gpuLoads = new double[numGpus];
        for (int e = 0; e < weight.length; e++) {
            gpuLoads[(int) ((long) e * numGpus / weight.length)] += weight[e];
        }
        return Balancedness.ofGpuLoads(gpuLoads);
    }

    /**
     * A plan's "after" of one layer: {@code weight} placed as {@code phy2log} places the layer's slots, each expert's
     * load split evenly over its replicas; an all-zero layer counts as balanced (1.0).
     */
    public static double balancednessAfter(double[] weight, int[] phy2log, int numGpus) {
        return isZero(weight) ? 1.0 : Balancedness.ofReplicas(weight, phy2log, numGpus);
    }

    /** As eplb.py: log2phy[l][e][r] = slot of replica r of expert e, padded with -1 to the largest replica count. */
    private static int[][][] log2phy(int[][] phy2log, int[][] phyRank, int[][] logcnt, int numExperts) {
        int maxCount = 0;
        for (int[] counts : logcnt) {
            for (int c : counts) {
                maxCount = Math.max(maxCount, c);
            }
        }
        int[][][] log2phy = new int[phy2log.length][numExperts][maxCount];
        for (int l = 0; l < phy2log.length; l++) {
            for (int[] slots : log2phy[l]) {
                Arrays.fill(slots, -1);
            }
            for (int slot = 0; slot < phy2log[l].length; slot++) {
                log2phy[l][phy2log[l][slot]][phyRank[l][slot]] = slot;
            }
        }
        return log2phy;
    }

    private static float[] toFloat(double[] weight, int layer) {
        float[] f = new float[weight.length];
        for (int i = 0; i < weight.length; i++) {
            if (!(weight[i] >= 0) || Double.isInfinite(weight[i])) {
                throw new IllegalArgumentException("layer " + layer + ": weight of expert " + i
                        + " must be finite and >= 0 but was " + weight[i]);
            }
            f[i] = (float) weight[i];
        }
        return f;
    }

    private static boolean isZero(double[] weight) {
        for (double w : weight) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }
}
