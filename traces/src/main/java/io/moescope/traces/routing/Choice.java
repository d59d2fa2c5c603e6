package io.moescope.traces.routing;

/**
 * The experts one token is sent to in one MoE layer.
 *
 * @param ids     the k expert ids, by descending score that chose them (ties: lower id first)
 * @param weights the gate weights the model multiplies the experts' outputs by, in the order of {@code ids}
 */
public record Choice(int[] ids, float[] weights) {

    public Choice {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + weights.length + " weights");
        }
    }
}
