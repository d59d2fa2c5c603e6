package io.moescope.traces.routing;

/** The one top-k selection of every rule. */
final class TopK {

    private TopK() {
    }

    /**
     * @param eligible which indices may be chosen; null for all
     * @return the indices of the {@code k} largest eligible values, largest first; of equal values the lower index
     *         first (so a tie always goes to the lower expert id)
     */
    static int[] largest(double[] values, int k, boolean[] eligible) {
        int[] chosen = new int[k];
        boolean[] taken = new boolean[values.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int i = 0; i < values.length; i++) {
                boolean open = !taken[i] && (eligible == null || eligible[i]);
                // strictly greater: scanning upwards, the lower index keeps a tie
                if (open && (best < 0 || values[i] > values[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException("top-" + k + " of fewer than " + k + " eligible values");
            }
            taken[best] = true;
            chosen[r] = best;
        }
        return chosen;
    }
}
