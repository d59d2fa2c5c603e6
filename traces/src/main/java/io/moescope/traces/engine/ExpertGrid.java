package io.moescope.traces.engine;

import java.util.Arrays;

/**
 * Routed expert ids as the engines return them: {@code [rows, layers, slots]}, row-major. A row is one position
 * that went through a forward pass; the layer axis covers every hidden layer, dense ones included.
 *
 * @param rows   positions
 * @param layers layers per row (the engine's {@code num_hidden_layers})
 * @param slots  ids per layer (top-k, plus a fused shared-expert slot in older SGLang)
 * @param ids    {@code rows * layers * slots} ids
 */
public record ExpertGrid(int rows, int layers, int slots, int[] ids) {

    public ExpertGrid {
        if (rows < 0 || layers < 1 || slots < 1) {
            throw new IllegalArgumentException("routed experts of shape [" + rows + ", " + layers + ", " + slots
                    + "]: need rows >= 0, layers >= 1 and top-k >= 1");
        }
        if ((long) rows * layers * slots != ids.length) {
            throw new IllegalArgumentException("routed experts of shape [" + rows + ", " + layers + ", " + slots
                    + "] need " + (long) rows * layers * slots + " ids but hold " + ids.length);
        }
    }

    /** The ids of one row at one layer. */
    public int[] at(int row, int layer) {
        int from = (row * layers + layer) * slots;
        return Arrays.copyOfRange(ids, from, from + slots);
    }

    /**
     * Whether the row holds only zeros at this layer and k >= 2, so that it can only be a dense layer in the engines'
     * zero-filled buffer (with k = 1, a zero is expert 0).
     */
    public boolean isZeroRow(int row, int layer) {
        return slots > 1 && holdsOnlyZeros(row, layer);
    }

    /** Whether every id of the row at this layer is 0, as at a dense layer of the engines' zero-filled buffer. */
    public boolean holdsOnlyZeros(int row, int layer) {
        int from = (row * layers + layer) * slots;
        for (int i = from; i < from + slots; i++) {
            if (ids[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertGrid g && rows == g.rows && layers == g.layers && slots == g.slots
                && Arrays.equals(ids, g.ids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * rows + layers) + slots) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "ExpertGrid[" + rows + ", " + layers + ", " + slots + "]";
    }
}
