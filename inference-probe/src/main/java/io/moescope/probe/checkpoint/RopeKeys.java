package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * The rotary base from either layout of {@code config.json}: transformers 5 saves
 * {@code rope_parameters: {"rope_theta": ..., "rope_type": ...}}, released 4.x-era files a top-level {@code rope_theta}
 * and {@code rope_scaling}. As in transformers' {@code convert_rope_params_to_dict}, a legacy {@code rope_scaling}
 * takes the place of {@code rope_parameters} and the top-level {@code rope_theta} fills in a missing base. Only
 * {@code rope_type} "default" (plain RoPE over the whole head) is implemented; any other type or parameter is
 * refused by name rather than run as plain RoPE.
 */
final class RopeKeys {

    private static final String DEFAULT_TYPE = "default";
    /** What a "default" entry may hold: its type (new or legacy spelling), base and a full rotary fraction. */
    private static final Set<String> DEFAULT_KEYS = Set.of("rope_type", "type", "rope_theta", "partial_rotary_factor");

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

    /** The RoPE dictionary ("rope_parameters" or a legacy "rope_scaling"), or null when the file has neither. */
    static JsonNode parameters(Path file, JsonNode root) {
        String key = dictionaryKey(file, root);
        return key == null ? null : root.get(key);
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

    private static void refuseUnimplemented(Path file, String key, JsonNode parameters) {
        JsonNode type = parameters.hasNonNull("rope_type") ? parameters.get("rope_type") : parameters.get("type");
        if (type != null && !type.isNull() && !type.asText().equals(DEFAULT_TYPE)) {
            throw new CheckpointException(file + " sets \"" + key + "\"." + (parameters.hasNonNull("rope_type")
                    ? "rope_type" : "type") + " to " + type + ", which this probe does not implement;"
                    + " only \"default\" is supported");
        }
        for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!DEFAULT_KEYS.contains(name)) {
                throw new CheckpointException(file + " sets \"" + key + "\"." + name + ", which this probe does not"
                        + " implement with rope_type \"default\"");
            }
        }
        JsonNode fraction = parameters.get("partial_rotary_factor");
        if (fraction != null && !fraction.isNull() && fraction.asDouble() != 1.0) {
            throw new CheckpointException(file + " sets \"" + key + "\".partial_rotary_factor to " + fraction
                    + ", which this probe does not implement; only 1.0 (the whole head rotates) is supported");
        }
    }

    private static double positive(Path file, String name, JsonNode value) {
        if (!value.isNumber() || value.asDouble() <= 0) {
            throw new CheckpointException(file + ": " + name + " must be a positive number but is " + value);
        }
        return value.asDouble();
    }
}
