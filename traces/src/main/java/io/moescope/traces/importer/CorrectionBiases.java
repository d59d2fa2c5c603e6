package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.traces.routing.RouterRule;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * DeepSeek-V3's {@code e_score_correction_bias} per MoE layer, as an hf-logits meta line gives it: a checkpoint
 * tensor ({@code model.layers.L.mlp.gate.e_score_correction_bias}), not in config.json, that noaux_tc needs to choose.
 *
 * @param byLayer layer index to its N biases
 */
record CorrectionBiases(Map<Integer, float[]> byLayer) {

    static final String KEY = "e_score_correction_bias";
    static final CorrectionBiases NONE = new CorrectionBiases(Map.of());

    CorrectionBiases {
        byLayer = Map.copyOf(byLayer);
    }

    /** The meta line's {@value #KEY} object: {@code {"3": [N numbers], ...}}; none when it has no such key. */
    static CorrectionBiases of(JsonNode meta) {
        JsonNode node = meta.get(KEY);
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("\"" + KEY + "\" must be an object of layer index to N numbers but is "
                    + node.getNodeType());
        }
        var byLayer = new HashMap<Integer, float[]>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            byLayer.put(layer(entry.getKey()), finite(entry.getKey(), entry.getValue()));
        }
        return new CorrectionBiases(byLayer);
    }

    /**
     * @return the layer's biases where the rule chooses with them, else null
     * @throws IllegalArgumentException naming the layer and the key when the rule needs biases the meta line lacks
     */
    float[] forLayer(int layer, RouterRule rule) {
        if (!rule.needsCorrectionBias()) {
            return null;
        }
        float[] bias = byLayer.get(layer);
        if (bias == null) {
            throw new IllegalArgumentException("layer " + layer + ": topk_method noaux_tc chooses experts with the"
                    + " layer's e_score_correction_bias, which the meta line's \"" + KEY + "\" does not give for "
                    + "layer " + layer);
        }
        if (bias.length != rule.numExperts()) {
            throw new IllegalArgumentException("\"" + KEY + "\" of layer " + layer + " has " + bias.length
                    + " values but the model has " + rule.numExperts() + " experts");
        }
        return bias;
    }

    private static int layer(String key) {
        try {
            int layer = Integer.parseInt(key);
            if (layer >= 0) {
                return layer;
            }
        } catch (NumberFormatException e) {
            // refused below, with the key
        }
        throw new IllegalArgumentException("\"" + KEY + "\" has the key \"" + key + "\", not a layer index (an "
                + "integer >= 0)");
    }

    private static float[] finite(String layer, JsonNode values) {
        float[] bias = JsonLines.floatArray(values, KEY + "." + layer);
        for (int i = 0; i < bias.length; i++) {
            if (!Float.isFinite(bias[i])) {
                throw new IllegalArgumentException("\"" + KEY + "\" of layer " + layer + "[" + i + "] is not a "
                        + "finite number");
            }
        }
        return bias;
    }
}
