package io.moescope.traces.importer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds per-request token order from positions that restart with every forward pass (vLLM's {@code token_pos},
 * the route log's {@code token_idx}). A pass ends when a (layer, position) repeats within the current pass; the next
 * pass's positions continue after the previous pass's last token. The first pass of a stream is its prefill, every
 * later one a decode step. Memory: one pass's (layer, position) pairs per open stream.
 */
final class ForwardPassTracker {

    /** Where a row landed: its token index in the stream and whether it belongs to the first (prefill) pass. */
    record Placement(int tokenIndex, boolean prefill) {
    }

    private final Map<String, Stream> streams = new HashMap<>();

    Placement place(String stream, int layer, int position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        return streams.computeIfAbsent(stream, s -> new Stream()).place(layer, position);
    }

    private static final class Stream {
        private final Set<Long> seen = new HashSet<>();
        private int base;
        private int passSize;
        private int passes = 1;

        Placement place(int layer, int position) {
            if (!seen.add(((long) layer << 32) | position)) {
                base += passSize;
                passSize = 0;
                passes++;
                seen.clear();
                seen.add(((long) layer << 32) | position);
            }
            passSize = Math.max(passSize, position + 1);
            return new Placement(base + position, passes == 1);
        }
    }
}
