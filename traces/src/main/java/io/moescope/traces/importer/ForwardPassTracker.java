package io.moescope.traces.importer;

import io.moescope.events.Phase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds per-request token order from positions that restart with every forward pass (vLLM's {@code token_pos},
 * the route log's {@code token_idx}) and gives each row its phase. A pass ends when a (layer, position) repeats
 * within the current pass; the next pass's positions continue after the previous pass's last token.
 *
 * <p>The first pass of a stream is prefill: nothing has been generated before it. A later pass with one position is
 * one decode step of the stream's request. A later pass with several positions is a decode batch (one new token of
 * each of several prompts, under one constant request id or none) or a prompt's next chunk: from that pass on the
 * stream is {@link #finish reported} as not one sequence, and its rows are stored with phase
 * {@link Phase#UNKNOWN}, since a pass may then mix prompt chunks and generated tokens. So that the pass which
 * reveals this is labelled like the rest, the rows of a later pass are held until the pass ends. Memory: one pass's
 * (layer, position) pairs per open stream, and its rows while the stream still looks like one request.
 *
 * <p>A trace of one stream whose positions never restart (one pass of several positions) is either one prompt's
 * prefill or a log that counts positions across forward passes (vLLM's OLMoE route log: one {@code req_id}, one
 * {@code token_idx} for the whole file); the log cannot tell which. Its rows are sent as prefill as they are read,
 * since the first pass's rows are not held, and {@link #finish} then tells the visitor that no row's phase can be
 * told ({@link TraceVisitor#phasesUnknown}). A single-pass stream among several is a request that was only
 * prefilled, and keeps its phase.
 */
final class ForwardPassTracker {

    /** A row whose token index and phase the tracker decides. */
    interface Unplaced {
        LayerRow at(int tokenIndex, Phase phase);
    }

    private record Held(long line, int tokenIndex, Unplaced row) {
    }

    private final TraceVisitor visitor;
    private final Map<String, Stream> streams = new TreeMap<>();

    /** @param visitor where rows go, each once its phase is known */
    ForwardPassTracker(TraceVisitor visitor) {
        this.visitor = visitor;
    }

    /** Places a row read at {@code line}; it reaches the visitor now or when its pass ends. */
    void place(long line, String stream, int layer, int position, Unplaced row) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        streams.computeIfAbsent(stream, s -> new Stream()).place(line, layer, position, row);
    }

    /**
     * Ends every stream's last pass (its held rows reach the visitor) and reports, one sentence per stream, those
     * whose later forward passes hold several tokens, in stream order, or, for a trace of one stream that never
     * restarted its positions, that no row's phase can be told. Call once, when the file has been read.
     *
     * @param field the trace's position field, for the sentence
     */
    void finish(String field) {
        // Before the last pass is closed: closing it forgets its positions.
        Optional<String> neverRestarted = neverRestarted(field);
        var found = new ArrayList<String>();
        streams.forEach((name, stream) -> {
            stream.closePass();
            if (stream.batchedPasses > 0) {
                found.add(String.format(Locale.ROOT, "requests in stream '%s': %d of its %d forward passes after"
                        + " the first hold several tokens (up to %d; %s restarts every pass), so consecutive tokens"
                        + " belong to different prompts; its tokens from forward pass %d on are stored with phase"
                        + " unknown, and sequence metrics (routing consistency, compare's overlap, warm-up per"
                        + " request) do not describe real sequences", name, stream.batchedPasses, stream.passes - 1,
                        stream.widestBatch, field, stream.firstBatchedPass));
            }
        });
        found.forEach(visitor::requestsNotSeparable);
        neverRestarted.ifPresent(visitor::phasesUnknown);
    }

    /** Why no row's phase can be told, when the only stream's positions never restarted over several positions. */
    private Optional<String> neverRestarted(String field) {
        if (streams.size() != 1) {
            return Optional.empty();
        }
        var only = streams.entrySet().iterator().next();
        Stream stream = only.getValue();
        if (stream.passes > 1 || stream.positions.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "requests in stream '%s': %s never restarts over its %d"
                + " positions, so the log is either one prompt's prefill or counts positions across forward passes;"
                + " which tokens are prefill and which decode, and which belong to the same prompt, cannot be told:"
                + " its tokens are stored with phase unknown, and sequence metrics (routing consistency, compare's"
                + " overlap, warm-up per request) do not describe real sequences", only.getKey(), field,
                stream.positions.size()));
    }

    private final class Stream {
        private final Set<Long> seen = new HashSet<>();
        private final Set<Integer> positions = new HashSet<>();
        private final List<Held> held = new ArrayList<>();
        private int base;
        private int passSize;
        private int passes = 1;
        private int batchedPasses;
        private int firstBatchedPass;
        private int widestBatch;

        void place(long line, int layer, int position, Unplaced row) {
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
            int tokenIndex = base + position;
            if (passes == 1) {
                visitor.row(line, row.at(tokenIndex, Phase.PREFILL));
            } else if (batchedPasses > 0) {
                visitor.row(line, row.at(tokenIndex, Phase.UNKNOWN));
            } else {
                held.add(new Held(line, tokenIndex, row));
            }
        }

        /** Counts the current pass as a decode batch when it is not the first and holds several positions. */
        void closePass() {
            if (passes > 1 && positions.size() > 1) {
                if (batchedPasses++ == 0) {
                    firstBatchedPass = passes;
                }
                widestBatch = Math.max(widestBatch, positions.size());
            }
            Phase phase = batchedPasses > 0 ? Phase.UNKNOWN : Phase.DECODE;
            held.forEach(h -> visitor.row(h.line(), h.row().at(h.tokenIndex(), phase)));
            held.clear();
            positions.clear();
        }
    }
}
