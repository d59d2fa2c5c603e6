package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Balancedness across devices, per layer: mean over GPUs of the tokens a GPU processes divided by the maximum over
 * GPUs (SGLang and vLLM EPLB, docs/metrics.md "Load imbalance"). 1.0 = every GPU equally busy; 1/G = one GPU does all
 * the work. A GPU's tokens are the loads of the experts placed on it; an expert replicated on r GPUs is assumed to
 * split its load evenly over its r replicas, as EPLB itself assumes.
 */
public final class Balancedness {

    private Balancedness() {
    }

    /**
     * One replica per expert.
     *
     * @param load        c_i per expert
     * @param expertToGpu GPU index of every expert, {@code [N]}, each in {@code [0, numGpus)}
     * @param numGpus     number of GPUs G; a GPU with no expert counts with 0 tokens
     * @throws IllegalArgumentException when the placement does not fit the load, or no token was routed
     */
    public static double of(ExpertLoad load, int[] expertToGpu, int numGpus) {
        if (expertToGpu.length != load.numExperts()) {
            throw new IllegalArgumentException("layer " + load.layer() + ": placement covers " + expertToGpu.length
                    + " experts but the load has " + load.numExperts());
        }
        long[] counts = load.counts();
        double[] weights = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            weights[i] = counts[i];
        }
        double[] gpuLoads = new double[requirePositive(numGpus)];
        for (int expert = 0; expert < expertToGpu.length; expert++) {
            gpuLoads[checkGpu(expertToGpu[expert], numGpus)] += weights[expert];
        }
        return ofGpuLoads(gpuLoads);
    }

    /**
     * With replicas: physical slot {@code s} lives on GPU {@code s / (slots / numGpus)}, the EPLB layout.
     *
     * @param weights  load per logical expert, {@code [N]}
     * @param phy2log  logical expert of every physical slot, {@code [slots]}; slots must be a multiple of numGpus
     * @param numGpus  number of GPUs G
     * @throws IllegalArgumentException when an expert has no replica, the slots do not divide over the GPUs, or
     *                                  the total load is zero
     */
    public static double ofReplicas(double[] weights, int[] phy2log, int numGpus) {
        requirePositive(numGpus);
        if (phy2log.length % numGpus != 0) {
            throw new IllegalArgumentException(phy2log.length + " physical slots do not divide over " + numGpus
                    + " GPUs");
        }
        int[] replicas = new int[weights.length];
        for (int logical : phy2log) {
            replicas[logical]++;
        }
        for (int e = 0; e < replicas.length; e++) {
            if (replicas[e] == 0 && weights[e] > 0) {
                throw new IllegalArgumentException("expert " + e + " has load but no replica");
            }
        }
        int slotsPerGpu = phy2log.length / numGpus;
        double[] gpuLoads = new double[numGpus];
        for (int slot = 0; slot < phy2log.length; slot++) {
            gpuLoads[slot / slotsPerGpu] += weights[phy2log[slot]] / replicas[phy2log[slot]];
        }
        return ofGpuLoads(gpuLoads);
    }

    /** mean / max of per-GPU token counts. @throws IllegalArgumentException when every GPU has zero load */
    public static double ofGpuLoads(double[] gpuLoads) {
        double sum = 0;
        double max = 0;
        for (double l : gpuLoads) {
            sum += l;
            max = Math.max(max, l);
        }
        if (max == 0) {
            throw new IllegalArgumentException("balancedness is undefined: no GPU has any load");
        }
        return sum / gpuLoads.length / max;
    }

    private static int requirePositive(int numGpus) {
        if (numGpus < 1) {
            throw new IllegalArgumentException("numGpus must be >= 1 but was " + numGpus);
        }
        return numGpus;
    }

    private static int checkGpu(int gpu, int numGpus) {
        if (gpu < 0 || gpu >= numGpus) {
            throw new IllegalArgumentException("GPU index " + gpu + " out of range for " + numGpus + " GPUs");
        }
        return gpu;
    }
}
