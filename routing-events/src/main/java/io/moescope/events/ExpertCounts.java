package io.moescope.events;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How often each expert was chosen at each MoE layer during one step of a run whose source counts choices without
 * recording tokens (TensorRT-LLM's expert statistics, llama.cpp's moe-trace): the data of an aggregate-only run.
 * Such counts support every load metric (shares, imbalance, collapse, placement) but no sequence metric.
 *
 * @param runId           the run
 * @param step            the source's step (an engine iteration, a forward pass), unique within the run
 * @param phase           the step's phase; {@link Phase#UNKNOWN} where the source mixes prompts and generation
 * @param timestampMicros when the step was routed, or imported where the source does not say
 * @param tokens          tokens the step routed: every layer's counts sum to tokens x k
 * @param layers          the counts of each MoE layer the step routed at, in layer order
 */
public record ExpertCounts(String runId, long step, Phase phase, long timestampMicros, long tokens,
                           List<LayerCounts> layers) {

    public ExpertCounts {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        layers = List.copyOf(layers);
    }

    /** One layer's counts, by expert id. */
    public record LayerCounts(int layer, long[] counts) {

        public LayerCounts {
            counts = counts.clone();
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        /** Choices at the layer: tokens x k for a valid step. */
        public long total() {
            return Arrays.stream(counts).sum();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LayerCounts other && layer == other.layer && Arrays.equals(counts, other.counts);
        }

        @Override
        public int hashCode() {
            return 31 * layer + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "layer " + layer + " " + Arrays.toString(counts);
        }
    }

    /** Decisions (token x layer) of the step. */
    public long decisions() {
        return tokens * layers.size();
    }
}
