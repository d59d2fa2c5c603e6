package io.moescope.tap.capture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The routing members of a response body, found in one streaming pass over its bytes: where each is, so that
 * {@link JsonBytes} can cut it out, and, when its value is a plain base64 string, the bytes it encodes, decoded
 * straight from the body. A Jackson tree of the whole body would copy every routing payload (hundreds of kilobytes to
 * megabytes of base64) into a string first, and the decoder would copy it again into bytes: that was most of what the
 * tap spent before answering its client. With the payloads decoded here, a tree is parsed only of the body without
 * them ({@link #tree}), small whatever the response's length.
 *
 * @param cuts     byte ranges {@code [from, to)} of the members, each with the comma that separated it from a
 *                 neighbour, in document order and disjoint
 * @param pointers each member's JSON pointer, e.g. {@code /choices/0/routed_experts}
 * @param values   each member's value as the engine's decoders read it: a payload's decoded base64 as a binary node,
 *                 another member's value as parsed; null where a payload was not a plain base64 string (nested lists,
 *                 null, escapes, invalid base64: the caller then decodes from a tree of the whole body, which words
 *                 those cases)
 */
record RoutingMembers(List<long[]> cuts, List<String> pointers, List<JsonNode> values) {

    /** Its parsers read a member's value as a tree. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param json      a body, JSON or not
     * @param routing   which members are routing, by JSON pointer
     * @param payloads  which of them hold the routed experts as base64; the others' values are kept as they are
     * @throws IOException when {@code json} is not one well-formed JSON document
     */
    static RoutingMembers of(byte[] json, Predicate<String> routing, Predicate<String> payloads) throws IOException {
        List<long[]> cuts = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        List<JsonNode> values = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (!routing.test(pointer)) {
                    continue;
                }
                long start = parser.currentTokenLocation().getByteOffset();
                long cutUpTo = cuts.isEmpty() ? -1 : cuts.get(cuts.size() - 1)[1];
                boolean payload = payloads.test(pointer);
                JsonNode value;
                long end;
                if (parser.nextToken() == JsonToken.VALUE_STRING) {
                    int from = (int) parser.currentTokenLocation().getByteOffset() + 1;
                    int plainEnd = PlainBytes.end(json, from);
                    int to = closingQuote(json, plainEnd);
                    // an escaped character before the closing quote: the string's text differs from its bytes
                    boolean plain = plainEnd == to;
                    value = !payload ? TextNode.valueOf(parser.getText()) : plain ? base64(json, from, to) : null;
                    end = to + 1;
                } else {
                    value = payload ? null : parser.readValueAsTree();
                    parser.skipChildren();
                    end = parser.currentLocation().getByteOffset();
                }
                pointers.add(pointer);
                values.add(value);
                JsonBytes.addCut(cuts, JsonBytes.widened(json, start, end, cutUpTo));
            }
        }
        return new RoutingMembers(cuts, pointers, values);
    }

    /** Whether every member's value was read here (and there is one at least). */
    boolean allRead() {
        return !values.isEmpty() && values.stream().allMatch(Objects::nonNull);
    }

    /**
     * A tree of {@code without} (the body with these members cut out) with each member put back, a payload as a
     * binary node of its decoded bytes, which the engine's decoders read as they read the base64 string; null when
     * a member's place is not an object of that tree (a duplicated member, for one), and the caller must read the
     * whole body.
     */
    JsonNode tree(JsonNode without) {
        for (int i = 0; i < pointers.size(); i++) {
            JsonPointer pointer = JsonPointer.compile(pointers.get(i));
            String name = pointer.last().getMatchingProperty();
            if (!(without.at(pointer.head()) instanceof ObjectNode parent) || parent.has(name)) {
                return null;
            }
            parent.set(name, values.get(i));
        }
        return without;
    }

    /**
     * Where a string ends, found by its closing quote from {@code from}, the end of its plain run ({@link PlainBytes}:
     * a payload's hundreds of kilobytes are scanned eight bytes at a time): the parser would copy the payload into its
     * buffer to tell, and skips it unread otherwise. An escape is stepped over one byte at a time.
     */
    private static int closingQuote(byte[] json, int from) {
        int at = from;
        while (json[at] != '"') {
            at += json[at] == '\\' ? 2 : 1;
        }
        return at;
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
