package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code config.json} keys only gpt-oss reads ({@code GptOssConfig}): which layers slide and how far, the clamped
 * GLU of its experts, and the MXFP4 {@code quantization_config} of the released files. Values the probe does not
 * implement are refused by name.
 */
final class GptOssKeys {

    static final List<String> READ = List.of("sliding_window", "layer_types", "swiglu_limit", "swiglu_alpha",
            "quantization_config");

    /** transformers' {@code GptOssConfig} defaults. */
    private static final int DEFAULT_WINDOW = 128;
    private static final double DEFAULT_LIMIT = 7.0;
    private static final double DEFAULT_ALPHA = 1.702;

    /**
     * What a {@code quantization_config} of quant_method "mxfp4" may hold: the modules left in bfloat16 (attention,
     * router, embedding, LM head in the release; any other module quantised shows up as a tensor the probe refuses)
     * and transformers' load-time switch to dequantise.
     */
    private static final Set<String> QUANTIZATION_KEYS = Set.of("quant_method", "modules_to_not_convert",
            "dequantize");

    private GptOssKeys() {
    }

    /**
     * {@code layer_types} (default: even layers {@code sliding_attention}, odd {@code full_attention}, as
     * {@code GptOssConfig} fills it) and {@code sliding_window} (default 128).
     */
    static SlidingWindow slidingWindow(Path file, JsonNode root, int layers) {
        JsonNode types = root.get("layer_types");
        var sliding = new ArrayList<Integer>();
        if (types == null || types.isNull()) {
            for (int l = 0; l < layers; l += 2) {
                sliding.add(l);
            }
        } else {
            if (!types.isArray() || types.size() != layers) {
                throw new CheckpointException(file + ": \"layer_types\" must list one type for each of the " + layers
                        + " layers but is " + types);
            }
            for (int l = 0; l < layers; l++) {
                String type = types.get(l).asText();
                if (type.equals("sliding_attention")) {
                    sliding.add(l);
                } else if (!type.equals("full_attention")) {
                    throw new CheckpointException(file + ": \"layer_types\" holds " + types.get(l) + ", which this"
                            + " probe does not implement; supported: \"full_attention\", \"sliding_attention\"");
                }
            }
        }
        JsonNode window = root.get("sliding_window");
        int size = DEFAULT_WINDOW;
        if (window != null && !window.isNull()) {
            if (!window.canConvertToInt() || window.asInt() < 1) {
                throw new CheckpointException(file + ": \"sliding_window\" must be a positive integer but is "
                        + window);
            }
            size = window.asInt();
        } else if (window != null && !sliding.isEmpty()) {
            throw new CheckpointException(file + ": \"sliding_window\" is null while \"layer_types\" lists"
                    + " sliding_attention layers; this probe does not implement a window of no size");
        }
        return new SlidingWindow(sliding.isEmpty() ? 0 : size, sliding);
    }

    /** swiglu_alpha, swiglu_limit and whether the experts are MXFP4 ({@code quantization_config}). */
    static GptOssExperts experts(Path file, JsonNode root) {
        return new GptOssExperts(positive(file, root, "swiglu_alpha", DEFAULT_ALPHA),
                positive(file, root, "swiglu_limit", DEFAULT_LIMIT), mxfp4(file, root.get("quantization_config")));
    }

    private static boolean mxfp4(Path file, JsonNode quantization) {
        if (quantization == null || quantization.isNull()) {
            return false;
        }
        if (!quantization.isObject()) {
            throw new CheckpointException(file + ": \"quantization_config\" must be an object but is "
                    + quantization);
        }
        String method = quantization.path("quant_method").asText("");
        if (!method.equals("mxfp4")) {
            throw new CheckpointException(file + " sets \"quantization_config\".quant_method to \"" + method
                    + "\", which this probe does not implement; supported: \"mxfp4\"");
        }
        for (Iterator<String> it = quantization.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!QUANTIZATION_KEYS.contains(key)) {
                throw new CheckpointException(file + " sets \"quantization_config\"." + key + ", which this probe"
                        + " does not implement");
            }
        }
        return true;
    }

    private static double positive(Path file, JsonNode root, String key, double absent) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isNumber() || value.asDouble() <= 0) {
            throw new CheckpointException(file + ": \"" + key + "\" must be a positive number but is " + value);
        }
        return value.asDouble();
    }
}
