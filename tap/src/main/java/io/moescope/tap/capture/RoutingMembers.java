package io.moescope.tap.capture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where the routing members of a response body are, found without reading their payloads: what the client waits for
 * is only this, the routing is decoded after it has its answer ({@link #tree}). A payload is hundreds of kilobytes to
 * megabytes of base64; even skipping it, a JSON parser reads it byte by byte. So every string value of a member named
 * {@code ...routed_experts} is found by its name's bytes and closing quote ({@link PlainBytes}, eight bytes at a
 * time) and emptied in a copy of the body, the skeleton (a few kilobytes whatever the response's length), and only the
 * skeleton is parsed: it says which members are routing (by JSON pointer) and where they are.
 *
 * <p>The name's bytes cannot be a string's inside: there a quote is escaped, so {@code routed_experts"} always ends
 * a string, and only a member's name is followed by a colon.
 *
 * @param json     the body, exactly as the engine sent it
 * @param skeleton {@code json} with each emptied string's content cut out
 * @param emptied  the content ranges {@code [from, to)} of the emptied strings in {@code json}, in document order
 * @param cuts     byte ranges {@code [from, to)} of the routing members in {@code json}, each with the comma that
 *                 separated it from a neighbour, in document order and disjoint
 * @param pointers each routing member's JSON pointer, e.g. {@code /choices/0/routed_experts}
 * @param payloads for each routing member, the index into {@code emptied} of its value, or -1 when its value was not
 *                 emptied (not a string, or a member that describes the payload, such as SGLang's dtype)
 */
record RoutingMembers(byte[] json, byte[] skeleton, List<int[]> emptied, List<long[]> cuts, List<String> pointers,
                      int[] payloads) {

    /** Its parsers read the skeleton. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PAYLOAD_NAME_END = "routed_experts\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param json    a body, JSON or not
     * @param routing which members are routing, by JSON pointer
     * @throws IOException when {@code json} is not one well-formed JSON document
     */
    static RoutingMembers of(byte[] json, Predicate<String> routing) throws IOException {
        List<int[]> emptied = payloadStrings(json);
        byte[] skeleton = JsonBytes.without(json, longs(emptied));
        // where each emptied string's closing quote lies in the skeleton: the offsets that shift by its length
        int[] closingAt = new int[emptied.size()];
        int removed = 0;
        for (int i = 0; i < emptied.size(); i++) {
            closingAt[i] = emptied.get(i)[0] - removed;
            removed += emptied.get(i)[1] - emptied.get(i)[0];
        }
        List<long[]> cuts = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        List<Integer> payloads = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(skeleton)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (!routing.test(pointer)) {
                    continue;
                }
                long start = inJson(parser.currentTokenLocation().getByteOffset(), closingAt, emptied);
                long cutUpTo = cuts.isEmpty() ? -1 : cuts.get(cuts.size() - 1)[1];
                int payload = -1;
                if (parser.nextToken() == JsonToken.VALUE_STRING) {
                    payload = Arrays.binarySearch(closingAt, (int) parser.currentTokenLocation().getByteOffset() + 1);
                    parser.finishToken();
                } else {
                    parser.skipChildren();
                }
                long end = inJson(parser.currentLocation().getByteOffset(), closingAt, emptied);
                pointers.add(pointer);
                payloads.add(Math.max(-1, payload));
                JsonBytes.addCut(cuts, JsonBytes.widened(json, start, end, cutUpTo));
            }
        }
        return new RoutingMembers(json, skeleton, emptied, cuts, pointers,
                payloads.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * A tree of the body with each routing payload as a binary node of the bytes its base64 encodes, which the
     * engines' decoders read as they read the string; null when the body must be read whole instead, so that its
     * outcome and wording stay those of the decoders: a string emptied that is no routing member, a payload with an
     * escaped character or that is not exactly standard base64, a routing member named twice.
     */
    JsonNode tree() throws IOException {
        if (Arrays.stream(payloads).filter(i -> i >= 0).count() != emptied.size()
                || new HashSet<>(pointers).size() != pointers.size()) {
            return null;
        }
        JsonNode tree = JSON.readTree(skeleton);
        for (int i = 0; i < pointers.size(); i++) {
            if (payloads[i] < 0) {
                continue;
            }
            int[] range = emptied.get(payloads[i]);
            BinaryNode value = PlainBytes.end(json, range[0]) == range[1] ? base64(json, range[0], range[1]) : null;
            JsonPointer pointer = JsonPointer.compile(pointers.get(i));
            if (value == null || !(tree.at(pointer.head()) instanceof ObjectNode parent)) {
                return null;
            }
            parent.set(pointer.last().getMatchingProperty(), value);
        }
        return tree;
    }

    /**
     * The content ranges of the string values of members whose name ends in {@code routed_experts}, in document
     * order; scanning resumes after each, so a payload's bytes are read once, by {@link PlainBytes}.
     */
    private static List<int[]> payloadStrings(byte[] json) {
        List<int[]> strings = new ArrayList<>();
        int at = 0;
        for (int name = indexOf(json, PAYLOAD_NAME_END, at); name >= 0; name = indexOf(json, PAYLOAD_NAME_END, at)) {
            at = name + PAYLOAD_NAME_END.length;
            int colon = skipSpace(json, at);
            if (colon >= json.length || json[colon] != ':') {
                continue;
            }
            int quote = skipSpace(json, colon + 1);
            if (quote >= json.length || json[quote] != '"') {
                continue;
            }
            int closing = closingQuote(json, PlainBytes.end(json, quote + 1));
            if (closing < 0) {
                return strings;
            }
            strings.add(new int[] {quote + 1, closing});
            at = closing + 1;
        }
        return strings;
    }

    /** A skeleton's byte offset as an offset of the body: past each emptied string before it, its length later. */
    private static long inJson(long skeletonOffset, int[] closingAt, List<int[]> emptied) {
        long offset = skeletonOffset;
        for (int i = 0; i < closingAt.length && closingAt[i] <= skeletonOffset; i++) {
            offset += emptied.get(i)[1] - emptied.get(i)[0];
        }
        return offset;
    }

    private static int indexOf(byte[] json, byte[] pattern, int from) {
        byte first = pattern[0];
        for (int i = from; i <= json.length - pattern.length; i++) {
            if (json[i] == first && Arrays.equals(json, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] json, int from) {
        int at = from;
        while (at < json.length && JsonBytes.isSpace(json[at])) {
            at++;
        }
        return at;
    }

    /**
     * Where a string ends, found by its closing quote from the end of its plain run; an escape is stepped over one
     * byte at a time. -1 when the body ends first.
     */
    private static int closingQuote(byte[] json, int from) {
        int at = from;
        while (at < json.length && json[at] != '"') {
            at += json[at] == '\\' ? 2 : 1;
        }
        return at < json.length ? at : -1;
    }

    private static List<long[]> longs(List<int[]> ranges) {
        return ranges.stream().map(r -> new long[] {r[0], r[1]}).toList();
    }

    /** The bytes {@code json[from, to)} encode as standard base64, or null when they are not exactly that. */
    private static BinaryNode base64(byte[] json, int from, int to) {
        try {
            // position 0 in an array of its own, which is exactly as long for valid base64
            ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(json, from, to - from));
            return BinaryNode.valueOf(decoded.limit() == decoded.array().length ? decoded.array()
                    : Arrays.copyOf(decoded.array(), decoded.limit()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
