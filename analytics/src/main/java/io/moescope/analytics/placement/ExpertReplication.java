package io.moescope.analytics.placement;

/**
 * {@code replicate_experts} of DeepSeek EPLB (eplb.py): start with one replica per logical expert and give each of
 * the {@code numPhysical - numLogical} extra replicas, one at a time, to the expert with the highest load per
 * replica {@code weight / count} (the lowest expert id on ties, like {@code torch.max}). Minimises the maximum load
 * of a replica greedily.
 */
final class ExpertReplication {

    /**
     * @param phy2log logical expert of every physical replica; replica i &lt; numLogical is expert i
     * @param rank    replica rank of every physical replica (0 for the original)
     * @param logcnt  replicas per logical expert
     */
    record Result(int[] phy2log, int[] rank, int[] logcnt) {
    }

    private ExpertReplication() {
    }

    static Result replicate(float[] weight, int numPhysical) {
        int numLogical = weight.length;
        if (numPhysical < numLogical) {
            throw new IllegalArgumentException(numPhysical + " physical slots cannot hold " + numLogical
                    + " logical experts");
        }
        int[] phy2log = new int[numPhysical];
        int[] rank = new int[numPhysical];
        int[] logcnt = new int[numLogical];
        for (int i = 0; i < numLogical; i++) {
            phy2log[i] = i;
            logcnt[i] = 1;
        }
        for (int slot = numLogical; slot < numPhysical; slot++) {
            int best = 0;
            float bestLoad = weight[0] / logcnt[0];
            for (int e = 1; e < numLogical; e++) {
                float load = weight[e] / logcnt[e];
                if (load > bestLoad) {
                    best = e;
                    bestLoad = load;
                }
            }
            phy2log[slot] = best;
            rank[slot] = logcnt[best];
            logcnt[best]++;
        }
        return new Result(phy2log, rank, logcnt);
    }
}
