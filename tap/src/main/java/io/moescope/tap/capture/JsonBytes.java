package io.moescope.tap.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Edits of a JSON object's bytes that leave every other byte as it was: the client gets the engine's numbers,
 * spacing and member order, not a re-serialisation.
 */
final class JsonBytes {

    private JsonBytes() {
    }

    /**
     * {@code member} ({@code "name":value}) put first into the object {@code body}.
     *
     * @param empty whether the object has no members (then no comma follows)
     */
    static byte[] withFirstMember(byte[] body, String member, boolean empty) {
        int brace = 0;
        while (body[brace] != '{') {
            brace++;
        }
        byte[] inserted = (member + (empty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(body.length + inserted.length);
        out.write(body, 0, brace + 1);
        out.writeBytes(inserted);
        out.write(body, brace + 1, body.length - brace - 1);
        return out.toByteArray();
    }

    /**
     * The member with the comma before it, or else the comma (and spacing) after it, or else the member alone. A comma
     * before it that the previous cut (ending at {@code cutUpTo}) already took is not taken twice.
     */
    static long[] widened(byte[] json, long start, long end, long cutUpTo) {
        int before = (int) start - 1;
        while (before >= 0 && isSpace(json[before])) {
            before--;
        }
        if (before >= Math.max(0, cutUpTo) && json[before] == ',') {
            return new long[] {before, end};
        }
        int after = (int) end;
        while (after < json.length && isSpace(json[after])) {
            after++;
        }
        if (after < json.length && json[after] == ',') {
            after++;
            while (after < json.length && isSpace(json[after])) {
                after++;
            }
            return new long[] {start, after};
        }
        return new long[] {start, end};
    }

    /** Cuts come in document order; two neighbours both removed may share their comma: merge them. */
    static void addCut(List<long[]> cuts, long[] cut) {
        long[] last = cuts.isEmpty() ? null : cuts.get(cuts.size() - 1);
        if (last != null && cut[0] <= last[1]) {
            last[1] = Math.max(last[1], cut[1]);
        } else {
            cuts.add(cut);
        }
    }

    /** {@code json} less the byte ranges {@code cuts} (in document order, disjoint). */
    static byte[] without(byte[] json, List<long[]> cuts) {
        if (cuts.isEmpty()) {
            return json;
        }
        // sized exactly: a buffer of the body's length would be megabytes zeroed for a body of kilobytes
        long length = json.length;
        for (long[] cut : cuts) {
            length -= cut[1] - cut[0];
        }
        byte[] out = new byte[(int) length];
        int from = 0;
        int to = 0;
        for (long[] cut : cuts) {
            System.arraycopy(json, from, out, to, (int) cut[0] - from);
            to += (int) cut[0] - from;
            from = (int) cut[1];
        }
        System.arraycopy(json, from, out, to, json.length - from);
        return out;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
