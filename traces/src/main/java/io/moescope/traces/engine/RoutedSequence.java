package io.moescope.traces.engine;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.traces.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The routing of one generated sequence (one choice of a response): row r of {@code experts} is the position
 * {@code firstPosition + r}, whose input token is the prompt's token there, or a generated one past the prompt.
 *
 * @param requestId     the engine's request id ({@code /index} appended when a response has several choices)
 * @param promptTokens  P: positions below it are prefill, the rest decode
 * @param firstPosition the position of row 0 (the request's row offset)
 * @param experts       {@code [rows, num_hidden_layers, slots]}
 * @param tokenIds      the sequence's token ids by position (prompt then completion), -1 where unknown; may be
 *                      shorter than the sequence
 */
public record RoutedSequence(String requestId, int promptTokens, int firstPosition, ExpertGrid experts,
                             int[] tokenIds) {

    public int position(int row) {
        return firstPosition + row;
    }

    public Phase phase(int row) {
        return position(row) < promptTokens ? Phase.PREFILL : Phase.DECODE;
    }

    public int tokenId(int row) {
        int position = position(row);
        return position < tokenIds.length ? tokenIds[position] : -1;
    }

    /**
     * The layers of the axis that carry routing. With the model's config the axis must have its
     * {@code num_hidden_layers} and its MoE layers are kept; its dense layers, zero-filled by the engines, are
     * dropped after checking that they are zeros: experts there mean the config is not the served model's, and
     * dropping them would hide routing. Without a config every layer is kept, and a layer that is all zeros is
     * refused: it is a dense layer, not "expert 0 chosen k times", and only the config says which.
     *
     * @throws IllegalArgumentException naming the counts that differ, the first dense row holding experts, or the
     *                                  first zero row
     */
    public List<Integer> routedLayers(ModelConfig config) {
        if (config != null) {
            if (experts.layers() != config.numHiddenLayers()) {
                throw new IllegalArgumentException("routed experts have " + experts.layers() + " layers but the "
                        + "model config has num_hidden_layers " + config.numHiddenLayers());
            }
            requireZerosAtDenseLayers(config);
            return config.moeLayers();
        }
        for (int row = 0; row < experts.rows(); row++) {
            for (int layer = 0; layer < experts.layers(); layer++) {
                if (experts.isZeroRow(row, layer)) {
                    throw new IllegalArgumentException("request " + requestId + ", position " + position(row)
                            + ", layer " + layer + " is all zeros: a dense layer of the model; pass --model-config"
                            + " (the model's config.json) so that dense layers are dropped");
                }
            }
        }
        return IntStream.range(0, experts.layers()).boxed().toList();
    }

    private void requireZerosAtDenseLayers(ModelConfig config) {
        var moeLayers = Set.copyOf(config.moeLayers());
        for (int layer = 0; layer < experts.layers(); layer++) {
            if (moeLayers.contains(layer)) {
                continue;
            }
            for (int row = 0; row < experts.rows(); row++) {
                if (!experts.holdsOnlyZeros(row, layer)) {
                    throw new IllegalArgumentException("request " + requestId + ", position " + position(row)
                            + ", layer " + layer + " holds experts " + Arrays.toString(experts.at(row, layer))
                            + " but the model config makes layer " + layer + " dense: the config is not the "
                            + "served model's");
                }
            }
        }
    }

    /**
     * The decisions of one row at {@code layers}; the engines return ids only, so the weights are unknown (NaN). The
     * decisions share one array of unknown weights (a token of 58 layers made 58 alike; nothing writes into a
     * decision's arrays).
     */
    public List<RouterDecision> decisions(int row, List<Integer> layers) {
        var decisions = new ArrayList<RouterDecision>(layers.size());
        float[] unknown = new float[experts.slots()];
        Arrays.fill(unknown, Float.NaN);
        for (int layer : layers) {
            decisions.add(RouterDecision.withoutEntropy(layer, experts.at(row, layer), unknown));
        }
        return decisions;
    }

    /** Row {@code row} as the token it routed: its position, token id, phase and decisions at {@code layers}. */
    public TokenRouting token(String runId, int row, List<Integer> layers, long timestampMicros) {
        return new TokenRouting(runId, requestId, position(row), tokenId(row), phase(row), timestampMicros,
                decisions(row, layers));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedSequence s && requestId.equals(s.requestId) && promptTokens == s.promptTokens
                && firstPosition == s.firstPosition && experts.equals(s.experts) && Arrays.equals(tokenIds, s.tokenIds);
    }

    @Override
    public int hashCode() {
        return requestId.hashCode() * 31 + experts.hashCode();
    }
}
