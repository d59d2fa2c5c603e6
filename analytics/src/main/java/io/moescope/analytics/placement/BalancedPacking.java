package io.moescope.analytics.placement;

import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code balanced_packing} of DeepSeek EPLB (github.com/deepseek-ai/EPLB, eplb.py): pack n weighted items into m
 * packs of exactly n/m items each, heaviest item first into the lightest pack that still has room.
 *
 * <p>Tie-breaking, which decides the exact placement: items of equal weight are taken in ascending index order
 * (a stable descending sort; torch's CPU sort gives the same order on the EPLB example, which has no ties), and
 * among packs of equal weight the lowest pack index wins (Python's {@code min} keeps the first minimum).
 * Arithmetic is in float, as in eplb.py ({@code weight.float()}), so sums round the same way.
 */
final class BalancedPacking {

    /** @param packIndex pack of every item; @param rankInPack position of the item inside its pack */
    record Result(int[] packIndex, int[] rankInPack) {
    }

    private BalancedPacking() {
    }

    static Result pack(float[] weight, int numPacks) {
        int n = weight.length;
        if (n % numPacks != 0) {
            throw new IllegalArgumentException(n + " items do not divide into " + numPacks + " packs");
        }
        int perPack = n / numPacks;
        int[] packIndex = new int[n];
        int[] rankInPack = new int[n];
        if (perPack == 1) {
            // eplb.py's shortcut: item i goes to pack i, without sorting.
            for (int i = 0; i < n; i++) {
                packIndex[i] = i;
            }
            return new Result(packIndex, rankInPack);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable: equal weights keep ascending index order.
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> weight[i]).reversed());
        float[] packWeights = new float[numPacks];
        int[] packItems = new int[numPacks];
        for (int item : order) {
            int best = -1;
            for (int p = 0; p < numPacks; p++) {
                if (packItems[p] < perPack && (best < 0 || packWeights[p] < packWeights[best])) {
                    best = p;
                }
            }
            packIndex[item] = best;
            rankInPack[item] = packItems[best];
            packWeights[best] += weight[item];
            packItems[best]++;
        }
        return new Result(packIndex, rankInPack);
    }
}
