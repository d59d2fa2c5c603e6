package io.moescope.analytics.placement;

/**
 * One layer of eplb.py's {@code rebalance_experts_hierarchical}. "mlog" numbers logical experts node-major after
 * the groups were packed onto nodes; "phy" numbers a node's replicas as {@link ExpertReplication} made them;
 * "pphy" is the final slot order, GPU-major, after balanced packing.
 *
 * @param phy2log logical expert of each final slot
 * @param phyRank replica rank of each final slot
 * @param logcnt  replicas per logical expert
 */
record HierarchicalLayerPlan(int[] phy2log, int[] phyRank, int[] logcnt) {

    static HierarchicalLayerPlan of(float[] weight, int numPhysical, int numGroups, int numNodes, int numGpus) {
        int numLogical = weight.length;
        int groupSize = numLogical / numGroups;
        int groupsPerNode = numGroups / numNodes;
        int logPerNode = numLogical / numNodes;
        int phyPerNode = numPhysical / numNodes;
        int phyPerGpu = numPhysical / numGpus;

        // Step 1: pack groups onto nodes.
        float[] tokensPerGroup = new float[numGroups];
        for (int e = 0; e < numLogical; e++) {
            tokensPerGroup[e / groupSize] += weight[e];
        }
        var groupPacking = BalancedPacking.pack(tokensPerGroup, numNodes);
        int[] log2mlog = new int[numLogical];
        for (int e = 0; e < numLogical; e++) {
            int g = e / groupSize;
            log2mlog[e] = (groupPacking.packIndex()[g] * groupsPerNode + groupPacking.rankInPack()[g]) * groupSize
                    + e % groupSize;
        }
        int[] mlog2log = inverse(log2mlog);

        int[] pphy2log = new int[numPhysical];
        int[] pphyRank = new int[numPhysical];
        int[] mlogcnt = new int[numLogical];
        for (int node = 0; node < numNodes; node++) {
            // Step 2: replicate experts within the node.
            float[] tokensPerMlog = new float[logPerNode];
            for (int j = 0; j < logPerNode; j++) {
                tokensPerMlog[j] = weight[mlog2log[node * logPerNode + j]];
            }
            var replication = ExpertReplication.replicate(tokensPerMlog, phyPerNode);
            System.arraycopy(replication.logcnt(), 0, mlogcnt, node * logPerNode, logPerNode);

            // Step 3: pack the node's replicas onto its GPUs, each replica carrying load / replicas.
            float[] tokensPerPhy = new float[phyPerNode];
            for (int p = 0; p < phyPerNode; p++) {
                int m = replication.phy2log()[p];
                tokensPerPhy[p] = tokensPerMlog[m] / replication.logcnt()[m];
            }
            var gpuPacking = BalancedPacking.pack(tokensPerPhy, numGpus / numNodes);
            int[] phy2pphy = new int[phyPerNode];
            for (int p = 0; p < phyPerNode; p++) {
                phy2pphy[p] = gpuPacking.packIndex()[p] * phyPerGpu + gpuPacking.rankInPack()[p];
            }
            int[] pphy2phy = inverse(phy2pphy);
            for (int q = 0; q < phyPerNode; q++) {
                int mlog = replication.phy2log()[pphy2phy[q]] + node * logPerNode;
                pphy2log[node * phyPerNode + q] = mlog2log[mlog];
                pphyRank[node * phyPerNode + q] = replication.rank()[pphy2phy[q]];
            }
        }
        int[] logcnt = new int[numLogical];
        for (int e = 0; e < numLogical; e++) {
            logcnt[e] = mlogcnt[log2mlog[e]];
        }
        return new HierarchicalLayerPlan(pphy2log, pphyRank, logcnt);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }
}
