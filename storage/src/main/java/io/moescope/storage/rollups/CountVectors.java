package io.moescope.storage.rollups;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows to add to the whole-run rollup {@code layer_load}, as {@link RollupUpsert}'s parallel array parameters: per
 * row its run, layer, phase and the slice of one flat array of counts that is its vector (one count per expert). Not
 * thread-safe.
 */
public final class CountVectors {

    final List<String> runs = new ArrayList<>();
    final List<Integer> layers = new ArrayList<>();
    final List<Short> phases = new ArrayList<>();
    final List<Integer> firsts = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
    private long[] counts = new long[1024];
    private int size;

    /**
     * Adds a row.
     *
     * @param phase  the schema's phase code
     * @param vector the count of each expert, by expert id; copied
     */
    public void add(String runId, int layer, int phase, long[] vector) {
        int experts = vector.length;
        runs.add(runId);
        layers.add(layer);
        phases.add((short) phase);
        firsts.add(size);
        lengths.add(experts);
        if (size + experts > counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, size + experts));
        }
        System.arraycopy(vector, 0, counts, size, experts);
        size += experts;
    }

    long[] counts() {
        return Arrays.copyOf(counts, size);
    }
}
