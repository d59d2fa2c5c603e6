package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * The rotary settings from either layout of {@code config.json}: transformers 5 saves
 * {@code rope_parameters: {"rope_theta": ..., "rope_type": ...}}, released 4.x-era files a top-level {@code rope_theta}
 * and {@code rope_scaling}. As in transformers' {@code convert_rope_params_to_dict}, a legacy {@code rope_scaling}
 * takes the place of {@code rope_parameters} and the top-level {@code rope_theta} fills in a missing base. The
 * implemented {@code rope_type}s are {@link RopeScaling.Type}: "default" (plain RoPE over the whole head) and "yarn";
 * any other type, or a parameter the type does not read, is refused by name rather than run as something else.
 */
final class RopeKeys {

    /** What any entry may hold: its type (new or legacy spelling), base and a full rotary fraction. */
    private static final Set<String> DEFAULT_KEYS = Set.of("rope_type", "type", "rope_theta", "partial_rotary_factor");
    /** What transformers' {@code _compute_yarn_parameters} reads besides {@link #DEFAULT_KEYS}. */
    private static final Set<String> YARN_KEYS = Set.of("factor", "original_max_position_embeddings", "beta_fast",
            "beta_slow", "truncate", "attention_factor", "mscale", "mscale_all_dim");

    private RopeKeys() {
    }

    /** The rotary base; {@code defaultTheta} is the config class's when the file names none. */
    static double theta(Path file, JsonNode root, double defaultTheta) {
        String key = dictionaryKey(file, root);
        JsonNode topLevel = root.get("rope_theta");
        Double fromTopLevel = topLevel == null || topLevel.isNull() ? null : positive(file, "\"rope_theta\"", topLevel);
        if (key == null) {
            return fromTopLevel == null ? defaultTheta : fromTopLevel;
        }
        JsonNode parameters = root.get(key);
        refuseUnimplemented(file, key, parameters);
        JsonNode inside = parameters.get("rope_theta");
        if (inside == null || inside.isNull()) {
            return fromTopLevel == null ? defaultTheta : fromTopLevel;
        }
        double theta = positive(file, "\"" + key + "\".rope_theta", inside);
        if (fromTopLevel != null && fromTopLevel != theta) {
            throw new CheckpointException(file + " sets \"rope_theta\" to " + fromTopLevel + " and \"" + key
                    + "\".rope_theta to " + theta + "; which one the model was trained with is unclear");
        }
        return theta;
    }

    /**
     * The frequency scaling; {@code classDefault} is the config class's when the file names no rope parameters
     * (gpt-oss's {@code GptOssConfig} defaults to its YaRN, the others to plain RoPE).
     *
     * <p>{@code factor} and {@code original_max_position_embeddings} as current transformers reads them: the
     * factor as stated (only a null factor is derived, as {@code max_position_embeddings / original}); the original
     * length defaults to {@code max_position_embeddings}. (transformers 4.5x instead replaced the factor by that ratio
     * whenever the original length was present; the released gpt-oss and DeepSeek files state a factor equal to
     * the ratio, so both readings agree on them.)
     */
    static RopeScaling scaling(Path file, JsonNode root, RopeScaling classDefault, int maxPositions) {
        String key = dictionaryKey(file, root);
        if (key == null) {
            return classDefault;
        }
        JsonNode p = root.get(key);
        refuseUnimplemented(file, key, p);
        if (type(p) != RopeScaling.Type.YARN) {
            return RopeScaling.NONE;
        }
        String at = "\"" + key + "\".";
        String originalKey = "original_max_position_embeddings";
        int original = p.hasNonNull(originalKey) ? (int) positive(file, at + originalKey, p.get(originalKey))
                : maxPositions;
        double factor = p.hasNonNull("factor") ? positive(file, at + "factor", p.get("factor"))
                : (double) maxPositions / original;
        JsonNode truncate = p.get("truncate");
        if (truncate != null && !truncate.isNull() && !truncate.isBoolean()) {
            throw new CheckpointException(file + ": " + at + "truncate must be true or false but is " + truncate);
        }
        try {
            return new RopeScaling(RopeScaling.Type.YARN, factor, original,
                    // transformers: `get("beta_fast") or 32`, so 0 and null also mean the paper's default
                    orDefault(file, at + "beta_fast", p.get("beta_fast"), 32),
                    orDefault(file, at + "beta_slow", p.get("beta_slow"), 1),
                    truncate == null || truncate.isNull() || truncate.asBoolean(),
                    p.hasNonNull("attention_factor") ? positive(file, at + "attention_factor",
                            p.get("attention_factor")) : Double.NaN,
                    orDefault(file, at + "mscale", p.get("mscale"), 0),
                    orDefault(file, at + "mscale_all_dim", p.get("mscale_all_dim"), 0));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": \"" + key + "\": " + e.getMessage(), e);
        }
    }

    /** "rope_parameters" or "rope_scaling", whichever holds the RoPE settings, or null for neither. */
    private static String dictionaryKey(Path file, JsonNode root) {
        boolean parameters = root.hasNonNull("rope_parameters");
        boolean scaling = root.hasNonNull("rope_scaling");
        if (parameters && scaling) {
            throw new CheckpointException(file + " sets both \"rope_parameters\" and \"rope_scaling\"; transformers 5"
                    + " would let \"rope_scaling\" replace the other, this probe refuses the ambiguity");
        }
        String key = parameters ? "rope_parameters" : scaling ? "rope_scaling" : null;
        if (key != null && !root.get(key).isObject()) {
            throw new CheckpointException(file + ": \"" + key + "\" must be an object or null but is " + root.get(key));
        }
        return key;
    }

    /** The entry's type; absent means "default", as transformers' {@code standardize_rope_params} sets it. */
    private static RopeScaling.Type type(JsonNode parameters) {
        JsonNode type = typeNode(parameters);
        String name = type == null || type.isNull() ? RopeScaling.Type.DEFAULT.configName() : type.asText();
        return Arrays.stream(RopeScaling.Type.values()).filter(t -> t.configName().equals(name)).findFirst()
                .orElse(null);
    }

    private static JsonNode typeNode(JsonNode parameters) {
        return parameters.hasNonNull("rope_type") ? parameters.get("rope_type") : parameters.get("type");
    }

    private static void refuseUnimplemented(Path file, String key, JsonNode parameters) {
        RopeScaling.Type type = type(parameters);
        if (type == null) {
            throw new CheckpointException(file + " sets \"" + key + "\"." + (parameters.hasNonNull("rope_type")
                    ? "rope_type" : "type") + " to " + typeNode(parameters) + ", which this probe does not implement;"
                    + " supported: " + String.join(", ", Arrays.stream(RopeScaling.Type.values())
                    .map(t -> "\"" + t.configName() + "\"").toList()));
        }
        for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!DEFAULT_KEYS.contains(name) && !(type == RopeScaling.Type.YARN && YARN_KEYS.contains(name))) {
                throw new CheckpointException(file + " sets \"" + key + "\"." + name + ", which this probe does not"
                        + " implement with rope_type \"" + type.configName() + "\"");
            }
        }
        JsonNode fraction = parameters.get("partial_rotary_factor");
        if (fraction != null && !fraction.isNull() && fraction.asDouble() != 1.0) {
            throw new CheckpointException(file + " sets \"" + key + "\".partial_rotary_factor to " + fraction
                    + ", which this probe does not implement; only 1.0 (the whole head rotates) is supported");
        }
    }

    private static double orDefault(Path file, String name, JsonNode value, double absent) {
        if (value == null || value.isNull() || (value.isNumber() && value.asDouble() == 0)) {
            return absent;
        }
        return positive(file, name, value);
    }

    private static double positive(Path file, String name, JsonNode value) {
        if (!value.isNumber() || value.asDouble() <= 0) {
            throw new CheckpointException(file + ": " + name + " must be a positive number but is " + value);
        }
        return value.asDouble();
    }
}
