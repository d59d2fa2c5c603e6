package io.moescope.traces.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Typed reads of one {@code config.json}, each refusing a value of the wrong type or range with the file and the key.
 * Holds its own copy of the parsed file and never hands it out, so it is immutable.
 */
public final class ConfigValues {

    private final String source;
    private final JsonNode root;

    ConfigValues(String source, JsonNode root) {
        this.source = source;
        this.root = root.deepCopy();
    }

    /** Whether the file sets {@code key} to something other than null. */
    public boolean has(String key) {
        return root.hasNonNull(key);
    }

    /** A required integer of at least {@code min}. */
    public int integer(String key, int min) {
        return atLeast(key, integerOrNull(key), min);
    }

    /** An integer of at least {@code min}; {@code absent} when the key is missing or null. */
    public int integer(String key, int min, int absent) {
        Integer value = integerOrNull(key);
        return atLeast(key, value == null ? absent : value, min);
    }

    /** A required number. */
    public double number(String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.isNumber()) {
            throw refused(key, "a number", node);
        }
        return node.doubleValue();
    }

    /** A required boolean. */
    public boolean bool(String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.isBoolean()) {
            throw refused(key, "true or false", node);
        }
        return node.booleanValue();
    }

    /** A boolean; {@code absent} when the key is missing or null (the config class's default). */
    public boolean bool(String key, boolean absent) {
        return has(key) ? bool(key) : absent;
    }

    /** A string; {@code absent} when the key is missing or null. */
    public String text(String key, String absent) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isTextual()) {
            throw refused(key, "a string", node);
        }
        return node.textValue();
    }

    /** An error about this file, prefixed with its name. */
    public IllegalArgumentException error(String message) {
        return new IllegalArgumentException(source + ": " + message);
    }

    private Integer integerOrNull(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw refused(key, "an integer", node);
        }
        return node.intValue();
    }

    private int atLeast(String key, Integer value, int min) {
        if (value == null) {
            throw error("\"" + key + "\" is missing");
        }
        if (value < min) {
            throw error("\"" + key + "\" must be at least " + min + " but is " + value);
        }
        return value;
    }

    private IllegalArgumentException refused(String key, String expected, JsonNode node) {
        return error("\"" + key + "\" must be " + expected + " but is " + (node == null ? "missing" : node));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigValues other && source.equals(other.source) && root.equals(other.root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, root);
    }

    @Override
    public String toString() {
        return source;
    }
}
