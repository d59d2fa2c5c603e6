package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * DeepSeek-V3's {@code quantization_config}: {@code {"quant_method": "fp8", "fmt": "e4m3", "activation_scheme":
 * "dynamic", "weight_block_size": [128, 128]}}. The probe dequantises the weights ({@link BlockScales}) and computes in
 * float32; the dynamic FP8 quantisation of activations that DeepSeek's kernels add is not reproduced (transformers'
 * {@code FineGrainedFP8Config(dequantize=True)} does the same). Any other method, format or key is refused by name.
 */
final class QuantizationKeys {

    private static final Set<String> KNOWN = Set.of("quant_method", "fmt", "activation_scheme", "weight_block_size",
            "modules_to_not_convert");

    private QuantizationKeys() {
    }

    /** The block size, or null when there is no {@code quantization_config}. */
    static BlockScales blocks(Path file, JsonNode config) {
        if (config == null || config.isNull()) {
            return null;
        }
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN.contains(key)) {
                throw new CheckpointException(file + " sets \"quantization_config\"." + key + ", which this probe"
                        + " does not implement");
            }
        }
        require(file, config, "quant_method", "fp8");
        if (config.hasNonNull("fmt")) {
            require(file, config, "fmt", "e4m3");
        }
        if (config.hasNonNull("activation_scheme")) {
            require(file, config, "activation_scheme", "dynamic");
        }
        // modules_to_not_convert needs no reading: each tensor's own dtype says whether it has block scales
        return blockSize(file, config.get("weight_block_size"));
    }

    private static BlockScales blockSize(Path file, JsonNode size) {
        if (size == null || !size.isArray() || size.size() != 2 || !size.get(0).canConvertToInt()
                || !size.get(1).canConvertToInt() || size.get(0).asInt() < 1 || size.get(1).asInt() < 1) {
            throw new CheckpointException(file + ": \"quantization_config\".weight_block_size must be two positive"
                    + " integers but is " + size);
        }
        return new BlockScales(size.get(0).asInt(), size.get(1).asInt());
    }

    private static void require(Path file, JsonNode config, String key, String value) {
        if (!config.path(key).asText("").equals(value)) {
            throw new CheckpointException(file + " sets \"quantization_config\"." + key + " to " + config.get(key)
                    + ", which this probe does not implement; only \"" + value + "\" is supported");
        }
    }
}
