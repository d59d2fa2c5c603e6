package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.util.Base64;

/** Reading the fields of an engine response; every error names the field by its path in the response. */
final class ResponseFields {

    private ResponseFields() {
    }

    static int requiredInt(JsonNode node, String path, String field) {
        Integer value = optionalInt(node, path, field);
        if (value == null) {
            throw new IllegalArgumentException("missing \"" + path + field + "\"");
        }
        return value;
    }

    /** A non-negative integer, or null when the field is absent or null. */
    static Integer optionalInt(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new IllegalArgumentException("\"" + path + field + "\" is not a non-negative integer: " + value);
        }
        return value.intValue();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An integer list, or an empty array when the field is absent or null. */
    static int[] ints(JsonNode node, String path, String field) {
        JsonNode array = node.get(field);
        if (array == null || array.isNull()) {
            return new int[0];
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"" + path + field + "\" is not a list of token ids");
        }
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new IllegalArgumentException("\"" + path + field + "\"[" + i + "] is not an integer: " + v);
            }
            values[i] = v.intValue();
        }
        return values;
    }

    /** Whether {@code value} is a base64 payload: a string, or its bytes already decoded ({@link #base64}). */
    static boolean isBase64(JsonNode value) {
        return value.isTextual() || value instanceof BinaryNode;
    }

    /**
     * The bytes of a base64 payload: a JSON string, or a binary node holding them already decoded (the tap decodes
     * them straight from the response's bytes, sparing a multi-megabyte string).
     */
    static byte[] base64(JsonNode value, String path) {
        if (value instanceof BinaryNode decoded) {
            return decoded.binaryValue();
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + path + "\" is not standard base64: " + e.getMessage());
        }
    }

    /**
     * @param expected    the rows the token counts call for
     * @param explanation how {@code expected} was worked out, e.g. {@code prompt 5 + completion 3 - 1 - offset 0}
     * @param offsetField the request field that shifts rows, named in a hint when no offset was given, else null
     */
    static void checkRows(String path, int rows, int expected, String explanation, String offsetField) {
        if (rows != expected) {
            throw new IllegalArgumentException("\"" + path + "\" has " + rows + " rows but " + explanation + " = "
                    + expected + " positions" + (offsetField == null ? "" : " (if the request set " + offsetField
                    + ", add it to the saved response)"));
        }
    }
}
