package io.moescope.probe.checkpoint;

import java.util.List;

/**
 * Which layers attend over a sliding window, and how wide it is: in HF's mask a query at position {@code i} sees the
 * keys at {@code j} with {@code i - size < j <= i} (the current token and {@code size - 1} before it).
 *
 * @param size   {@code sliding_window}; 0 in {@link #NONE}
 * @param layers ascending indices of the {@code sliding_attention} layers of {@code layer_types}
 */
public record SlidingWindow(int size, List<Integer> layers) {

    /** Every layer attends over the whole sequence. */
    public static final SlidingWindow NONE = new SlidingWindow(0, List.of());

    public SlidingWindow {
        layers = List.copyOf(layers);
        if (!layers.isEmpty() && size < 1) {
            throw new IllegalArgumentException("sliding_window must be positive for sliding_attention layers but is "
                    + size);
        }
    }

    public boolean slides(int layer) {
        return layers.contains(layer);
    }
}
