package io.moescope.traces.importer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds per-request token order from positions that restart with every forward pass (vLLM's {@code token_pos},
 * the route log's {@code token_idx}). A pass ends when a (layer, position) repeats within the current pass; the next
 * pass's positions continue after the previous pass's last token. The first pass of a stream is its prefill, every
 * later one a decode step. Memory: one pass's (layer, position) pairs per open stream.
 *
 * <p>That holds for one request per stream only. A later pass with several positions is a decode batch: one new
 * token of each of several prompts (an engine logging one constant request id, or none). Such a stream is reported
 * by {@link #unseparated}: its consecutive tokens are not one sequence, and "first pass = prefill" is a guess.
 */
final class ForwardPassTracker {

    /** Where a row landed: its token index in the stream and whether it belongs to the first (prefill) pass. */
    record Placement(int tokenIndex, boolean prefill) {
    }

    private final Map<String, Stream> streams = new TreeMap<>();

    Placement place(String stream, int layer, int position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        return streams.computeIfAbsent(stream, s -> new Stream()).place(layer, position);
    }

    /**
     * One sentence per stream whose later forward passes hold several tokens (decode batches of different prompts),
     * in stream order; empty when every stream is one request's sequence.
     *
     * Call once, when the file has been read.
     *
     * @param field the trace's position field, for the sentence
     */
    List<String> unseparated(String field) {
        var found = new ArrayList<String>();
        streams.forEach((name, stream) -> {
            stream.closePass();
            if (stream.batchedPasses > 0) {
                found.add(String.format(Locale.ROOT, "requests in stream '%s': %d of its %d forward passes after"
                        + " the first hold several tokens (up to %d; %s restarts every pass), so consecutive tokens"
                        + " belong to different prompts; token order and phase (first pass = prefill) are guesses,"
                        + " and sequence metrics (routing consistency, compare's overlap, warm-up per request) do"
                        + " not describe real sequences", name, stream.batchedPasses, stream.passes - 1,
                        stream.widestBatch, field));
            }
        });
        return found;
    }

    private static final class Stream {
        private final Set<Long> seen = new HashSet<>();
        private final Set<Integer> positions = new HashSet<>();
        private int base;
        private int passSize;
        private int passes = 1;
        private int batchedPasses;
        private int widestBatch;

        /** Counts the current pass as a decode batch when it is not the first and holds several positions. */
        void closePass() {
            if (passes > 1 && positions.size() > 1) {
                batchedPasses++;
                widestBatch = Math.max(widestBatch, positions.size());
            }
            positions.clear();
        }

        Placement place(int layer, int position) {
            if (!seen.add(((long) layer << 32) | position)) {
                closePass();
                base += passSize;
                passSize = 0;
                passes++;
                seen.clear();
                seen.add(((long) layer << 32) | position);
            }
            positions.add(position);
            passSize = Math.max(passSize, position + 1);
            return new Placement(base + position, passes == 1);
        }
    }
}
