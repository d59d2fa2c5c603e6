package io.moescope.traces.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.function.Predicate;

/** Reads a JSON-lines file one object at a time; a line that is not a JSON object is rejected, not fatal. */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Handles one parsed line; throws {@link BadLine} (or IllegalArgumentException) to reject it. */
    @FunctionalInterface
    interface LineHandler {
        void accept(long line, JsonNode node);
    }

    private JsonLines() {
    }

    static void read(TraceSource source, TraceVisitor visitor, LineHandler handler) throws IOException {
        read(source, visitor, node -> false, handler);
    }

    /**
     * As {@link #read(TraceSource, TraceVisitor, LineHandler)} for a format with metadata lines (a header, a model
     * line, an end line): those are not rows, so they are not counted as rows read, and rows read = rows imported +
     * rows rejected holds. A metadata line that fails is rejected, and then counted.
     */
    static void read(TraceSource source, TraceVisitor visitor, Predicate<JsonNode> metadata, LineHandler handler)
            throws IOException {
        read(source, visitor, text -> { }, metadata, handler);
    }

    /** As {@link #read(TraceSource, TraceVisitor, Predicate, LineHandler)}, showing {@code everyLine} each text. */
    static void read(TraceSource source, TraceVisitor visitor, java.util.function.Consumer<String> everyLine,
                     Predicate<JsonNode> metadata, LineHandler handler) throws IOException {
        try (TraceLines lines = TraceLines.open(source, visitor)) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                long line = lines.line();
                everyLine.accept(text);
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    visitor.lineRead(line);
                    visitor.reject(line, "not JSON: " + e.getOriginalMessage());
                    continue;
                }
                if (node == null || !node.isObject()) {
                    visitor.lineRead(line);
                    visitor.reject(line, "not a JSON object");
                    continue;
                }
                boolean row = !isMetadata(metadata, node);
                if (row) {
                    visitor.lineRead(line);
                }
                try {
                    handler.accept(line, node);
                } catch (IllegalArgumentException e) {
                    if (!row) {
                        visitor.lineRead(line);
                    }
                    visitor.reject(line, e.getMessage());
                }
            }
        }
    }

    /** The model line of route-log and hf-logits: {@code "type": "meta"}. */
    static boolean isMetaType(JsonNode node) {
        return "meta".equals(text(node, "type", ""));
    }

    /** A predicate that fails on a malformed line says it is a row: the handler then rejects it. */
    private static boolean isMetadata(Predicate<JsonNode> metadata, JsonNode node) {
        try {
            return metadata.test(node);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The first object of {@code head}, or null when it is not one. */
    static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("missing or non-integer \"" + field + "\"");
        }
        return value.intValue();
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    static int[] intArray(JsonNode node, String field) {
        return ints(node.get(field), field);
    }

    static int[] ints(JsonNode array, String field) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("missing or empty \"" + field + "\" array");
        }
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException("\"" + field + "\"[" + i + "] is not an integer: " + v);
            }
            values[i] = v.intValue();
        }
        return values;
    }

    /** Numbers as floats; JSON null stands for NaN (moescope writes unknown weights as null). */
    static float[] floatArray(JsonNode array, String field) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("missing or empty \"" + field + "\" array");
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (v.isNull()) {
                values[i] = Float.NaN;
            } else if (v.isNumber()) {
                values[i] = v.floatValue();
            } else {
                throw new IllegalArgumentException("\"" + field + "\"[" + i + "] is not a number: " + v);
            }
        }
        return values;
    }

    static Integer optionalInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isIntegralNumber() ? value.intValue() : null;
    }

    static boolean has(JsonNode node, String field) {
        return node != null && node.has(field);
    }
}
