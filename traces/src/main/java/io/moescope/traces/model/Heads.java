package io.moescope.traces.model;

/**
 * Grouped-query attention's head layout.
 *
 * @param count   {@code num_attention_heads}
 * @param kvCount {@code num_key_value_heads} (default: the head count)
 * @param headDim {@code head_dim} (default: hidden_size / num_attention_heads)
 */
record Heads(int hidden, int count, int kvCount, int headDim) {

    static Heads of(ConfigValues v, int hidden) {
        int count = v.integer("num_attention_heads", 1);
        return new Heads(hidden, count, v.integer("num_key_value_heads", 1, count),
                v.integer("head_dim", 1, hidden / count));
    }

    long queryWidth() {
        return (long) count * headDim;
    }

    long keyWidth() {
        return (long) kvCount * headDim;
    }

    /** q, k, v and o projections, with biases on q, k and v and on o as the architecture has them. */
    long projections(boolean qkvBias, boolean outputBias) {
        long weights = hidden * (2 * queryWidth() + 2 * keyWidth());
        return weights + (qkvBias ? queryWidth() + 2 * keyWidth() : 0) + (outputBias ? hidden : 0);
    }
}
