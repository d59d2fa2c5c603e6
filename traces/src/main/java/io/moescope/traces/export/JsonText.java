package io.moescope.traces.export;

/** The two JSON primitives the export writers need, written without a tree per token. */
final class JsonText {

    private JsonText() {
    }

    /** Float.toString is the shortest decimal that reads back to the same float; NaN becomes null. */
    static void number(StringBuilder out, float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            out.append("null");
        } else {
            out.append(Float.toString(value));
        }
    }

    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
