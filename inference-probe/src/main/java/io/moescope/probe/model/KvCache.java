package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of one sequence, per layer, owned by the sequence's manager. Keys are stored already transposed
 * ({@code [kvHeads, 1, headDim, length]}) and values as {@code [kvHeads, 1, length, headDim]}: the shapes attention
 * multiplies with, so a step never derives arrays from the cache (which would allocate them in the cache's manager).
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keysT;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keysT = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far (the next token's position). */
    int length() {
        return length;
    }

    /**
     * Appends a step's keys and values to a layer and returns the layer's full cache.
     *
     * @param keysT  {@code [kvHeads, 1, headDim, tokens]}
     * @param vals   {@code [kvHeads, 1, tokens, headDim]}
     * @return {@code [keysT, values]} over all cached positions
     */
    NDArray[] append(int layer, NDArray keysT, NDArray vals) {
        this.keysT[layer] = grow(this.keysT[layer], keysT, 3);
        this.values[layer] = grow(this.values[layer], vals, 2);
        return new NDArray[] {this.keysT[layer], this.values[layer]};
    }

    /** Called once per step after every layer appended its tokens. */
    void advance(int tokens) {
        length += tokens;
    }

    /**
     * @param old   the layer's cache so far, null before the first step
     * @param added the step's part, same shape but for {@code axis}
     * @return both along {@code axis}, owned by the cache's manager
     */
    private NDArray grow(NDArray old, NDArray added, int axis) {
        NDArray next = old == null ? added : old.concat(added, axis);
        next.attach(manager);
        if (old != null) {
            old.close();
        }
        return next;
    }

    @Override
    public void close() {
        manager.close();
    }
}
