package io.moescope.benchmarks.capture;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.traces.importer.TraceSource;
import io.moescope.traces.RoutingSink;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Large generated inputs for scale checks: a vLLM FusedMoE-hook trace of any number of (token, layer) rows (32
 * layers, top-2 of 8, requests of 200 tokens, seeded), and a sink that keeps nothing but counts.
 */
final class HookTraces {

    static final int LAYERS = 32;
    static final int TOKENS_PER_REQUEST = 200;

    private HookTraces() {
    }

    /** Writes the trace to {@code file} (for benchmarks that time reading a real file). */
    static void generate(Path file, long rows) throws IOException {
        var lines = new Lines(rows);
        var line = new StringBuilder();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (lines.next(line)) {
                out.append(line);
                line.setLength(0);
            }
        }
    }

    /**
     * The same trace made up on demand each time it is opened: an import reads it three times, and ten million rows
     * would take ~1 GB of disk (and the write's time) as a file.
     */
    static TraceSource source(long rows) {
        return new TraceSource() {
            @Override
            public Path name() {
                return Path.of("generated-vllm-hook.jsonl");
            }

            @Override
            public BufferedReader open() {
                return new BufferedReader(new LinesReader(new Lines(rows)));
            }
        };
    }

    /** Generates the trace's lines in order from a fixed seed, so every pass sees the same text. */
    private static final class Lines {
        private final Random random = new Random(42);
        private final long rows;
        private long row;

        Lines(long rows) {
            this.rows = rows;
        }

        /** Appends the next line (with its newline) to {@code out}; false when all rows are out. */
        boolean next(StringBuilder out) {
            if (row >= rows) {
                return false;
            }
            long token = row / LAYERS;
            long request = token / TOKENS_PER_REQUEST;
            long layer = row % LAYERS;
            row++;
            int a = random.nextInt(8);
            int b = (a + 1 + random.nextInt(7)) % 8;
            float w = 0.5f + random.nextInt(500) / 1000f;
            out.append("{\"dataset\":\"bench\",\"problem_id\":").append(request).append(",\"layer\":").append(layer)
                    .append(",\"token_idx\":").append(token % TOKENS_PER_REQUEST).append(",\"experts\":[").append(a)
                    .append(',').append(b).append("],\"gating_probs\":[").append(w).append(',').append(1 - w)
                    .append("]}\n");
            return true;
        }
    }

    /** A Reader over {@link Lines}, holding one line at a time. */
    private static final class LinesReader extends Reader {
        private final Lines lines;
        private final StringBuilder line = new StringBuilder();
        private int pos;

        LinesReader(Lines lines) {
            this.lines = lines;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (pos == line.length()) {
                line.setLength(0);
                pos = 0;
                if (!lines.next(line)) {
                    return -1;
                }
            }
            int n = Math.min(length, line.length() - pos);
            line.getChars(pos, pos + n, buffer, offset);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** Keeps nothing, counts tokens and decisions: scale checks measure the pipeline, not a store. */
    static final class CountingSink implements RoutingSink {
        long tokens;
        long decisions;

        @Override
        public void runStarted(RunLifecycle run) {
        }

        @Override
        public void token(TokenRouting token) {
            tokens++;
            decisions += token.decisions().size();
        }

        @Override
        public void runFinished(RunLifecycle run) {
        }

        @Override
        public void close() {
        }
    }
}
