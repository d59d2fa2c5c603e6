package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Values of read {@code config.json} keys that would change the maths in a way the probe does not implement: each is
 * refused by name with the value the probe supports.
 */
final class ConfigValues {

    /** HF's default {@code sliding_window} of the Qwen-MoE config classes, used when the key is absent. */
    private static final int QWEN_DEFAULT_WINDOW = 4096;

    private ConfigValues() {
    }

    static void refuseUnimplemented(Path file, JsonNode root, Architecture arch, int maxPositions) {
        if (root.hasNonNull("hidden_act") && !root.get("hidden_act").asText().equals("silu")) {
            throw new CheckpointException(file + " sets \"hidden_act\" to " + root.get("hidden_act")
                    + ", which this probe does not implement; only \"silu\" is supported");
        }
        if (root.hasNonNull("clip_qkv")) {
            throw new CheckpointException(file + " sets \"clip_qkv\", which this probe does not implement;"
                    + " only null is supported");
        }
        refuseShortSlidingWindow(file, root, arch, maxPositions);
    }

    /**
     * A sliding window changes attention only for sequences longer than the window; the probe never runs a sequence
     * past {@code max_position_embeddings}, so a window at least that long is exact and a shorter one is refused.
     */
    private static void refuseShortSlidingWindow(Path file, JsonNode root, Architecture arch, int maxPositions) {
        String switchedOnBy = windowSwitch(file, root, arch);
        if (switchedOnBy == null) {
            return;
        }
        JsonNode window = root.get("sliding_window");
        int size;
        if (window == null) {
            size = QWEN_DEFAULT_WINDOW;
        } else if (window.isNull()) {
            return;
        } else if (window.canConvertToInt()) {
            size = window.asInt();
        } else {
            throw new CheckpointException(file + ": \"sliding_window\" must be an integer or null but is " + window);
        }
        if (size < maxPositions) {
            throw new CheckpointException(file + " sets \"sliding_window\" to " + size + " (switched on by "
                    + switchedOnBy + "), which this probe does not implement: attention over a window shorter than"
                    + " max_position_embeddings (" + maxPositions + ") is not supported");
        }
    }

    /** The key that makes layers slide, or null when none does. */
    private static String windowSwitch(Path file, JsonNode root, Architecture arch) {
        if (arch == Architecture.MIXTRAL) {
            return root.hasNonNull("sliding_window") ? "\"sliding_window\"" : null;
        }
        boolean switchedOn = root.path("use_sliding_window").asBoolean(false);
        if (arch == Architecture.QWEN2_MOE && root.hasNonNull("layer_types")) {
            // An explicit list decides which layers slide; use_sliding_window then only keeps the window (HF sets it
            // to 0 otherwise, a degenerate mask this probe refuses).
            if (!slidingLayers(file, root.get("layer_types"))) {
                return null;
            }
            if (!switchedOn) {
                throw new CheckpointException(file + ": \"layer_types\" lists sliding_attention layers while"
                        + " \"use_sliding_window\" is false, a window of 0 this probe does not implement");
            }
            return "\"layer_types\"";
        }
        if (arch == Architecture.OLMOE) {
            return null;
        }
        return switchedOn ? "\"use_sliding_window\"" : null;
    }

    private static boolean slidingLayers(Path file, JsonNode types) {
        if (!types.isArray()) {
            throw new CheckpointException(file + ": \"layer_types\" must be a list but is " + types);
        }
        boolean sliding = false;
        for (JsonNode type : types) {
            String name = type.asText();
            if (!name.equals("full_attention") && !name.equals("sliding_attention")) {
                throw new CheckpointException(file + ": \"layer_types\" holds " + type + ", which this probe does"
                        + " not implement; supported: \"full_attention\", \"sliding_attention\"");
            }
            sliding |= name.equals("sliding_attention");
        }
        return sliding;
    }
}
