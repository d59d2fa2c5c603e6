package io.moescope.traces.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dict of a {@code .npy} file, a Python literal such as
 * {@code {'descr': '<i4', 'fortran_order': False, 'shape': (3, 2, 2), }}: the three keys NumPy writes, nothing else.
 *
 * @param descr        the array-protocol type string
 * @param fortranOrder whether the data is column-major
 * @param shape        the dimensions ({@code ()} for a scalar)
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    private static final List<String> KEYS = List.of("descr", "fortran_order", "shape");

    /** @throws IllegalArgumentException saying what is missing or malformed */
    static NpyHeader parse(String text) {
        Map<String, Object> dict = new Parser(text.strip()).dict();
        for (String key : KEYS) {
            if (!dict.containsKey(key)) {
                throw new IllegalArgumentException(".npy header lacks '" + key + "': " + text.strip());
            }
        }
        if (dict.size() != KEYS.size()) {
            // NumPy's own reader refuses other keys too: a writer that adds some is not np.save.
            var extra = new java.util.TreeSet<>(dict.keySet());
            extra.removeAll(KEYS);
            throw new IllegalArgumentException(".npy header has keys other than " + KEYS + ": " + extra);
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new IllegalArgumentException(".npy header: 'descr' is not a string (structured dtypes are not "
                    + "expert ids): " + text.strip());
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new IllegalArgumentException(".npy header: 'fortran_order' is not True or False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new IllegalArgumentException(".npy header: 'shape' is not a tuple of integers");
        }
        return new NpyHeader(descr, fortran, shape);
    }

    /** A recursive-descent reader of the literals a header holds: strings, True/False, integer tuples, a dict. */
    private static final class Parser {

        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> dict = new HashMap<>();
            while (peek() != '}') {
                String key = string();
                expect(':');
                dict.put(key, value());
                if (peek() == ',') {
                    at++;
                }
            }
            expect('}');
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", at) || s.startsWith("False", at)) {
                boolean value = s.startsWith("True", at);
                at += value ? 4 : 5;
                return value;
            }
            throw error("a string, True, False or a tuple");
        }

        private long[] tuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (peek() != ')') {
                int start = at;
                while (at < s.length() && Character.isDigit(s.charAt(at))) {
                    at++;
                }
                if (start == at) {
                    throw error("a non-negative integer");
                }
                values.add(Long.parseLong(s.substring(start, at)));
                if (peek() == ',') {
                    at++;
                }
            }
            expect(')');
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("a quoted string");
            }
            int end = s.indexOf(quote, at + 1);
            if (end < 0) {
                throw error("the end of a string");
            }
            String value = s.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            at++;
        }

        private char peek() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
            if (at >= s.length()) {
                throw error("more");
            }
            return s.charAt(at);
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException(".npy header is not a dict literal: expected " + expected
                    + " at character " + at + " of " + s);
        }
    }
}
