package io.moescope.traces.importer;

import io.moescope.events.validation.StorableCounts;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp's moe-trace ({@code examples/moe-trace}, {@code MOE_TRACE_OUT}): a CSV with the header
 * {@code layer,expert} and one {@code layer,expert} row per routed choice, for every MoE layer of every micro-batch
 * the model evaluates, in evaluation order; no token, request or phase. The tool reads the routed ids of each layer
 * as the graph computes it, so within a forward pass the layer index only grows: a row whose layer is below the
 * previous row's starts the next pass, and each pass becomes one step of an aggregate-only run (its counts; the
 * pass's tokens are its choices at a layer / k). Traces concatenated into one file ({@code cat a.csv b.csv}, as the
 * tool's users merge profiles) repeat the header, which also starts a step. Memory: one pass's counts.
 */
public final class LlamaCppMoeTraceImporter implements TraceImporter {

    static final String NOT_SEPARABLE = "llama.cpp's moe-trace logs one row per routed choice without its token,"
            + " so its tokens, requests and phases cannot be told apart";

    private static final String HEADER = "layer,expert";
    private static final Pattern ROW = Pattern.compile("\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*");

    @Override
    public TraceFormat format() {
        return TraceFormat.LLAMA_CPP_MOE_TRACE;
    }

    @Override
    public boolean recognises(List<String> head) {
        return !head.isEmpty() && head.get(0).strip().equals(HEADER);
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        var pass = new Pass(visitor);
        try (TraceLines lines = TraceLines.open(source, visitor)) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (text.isBlank()) {
                    continue;
                }
                if (text.strip().equals(HEADER)) {
                    pass.end();
                    continue;
                }
                visitor.lineRead(lines.line());
                Matcher row = ROW.matcher(text);
                if (!row.matches()) {
                    visitor.reject(lines.line(), "not a row of two ids 'layer,expert': '" + abbreviate(text) + "'");
                    continue;
                }
                int layer = Integer.parseInt(row.group(1));
                int expert = Integer.parseInt(row.group(2));
                try {
                    StorableCounts.requireStorableIds(layer, expert);
                } catch (IllegalArgumentException e) {
                    visitor.reject(lines.line(), e.getMessage());
                    continue;
                }
                pass.add(lines.line(), layer, expert);
            }
        }
        pass.end();
        if (pass.steps > 0) {
            visitor.requestsNotSeparable(NOT_SEPARABLE);
            visitor.note(pass.steps + " forward passes told apart where the layer index starts over");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** The counts of the forward pass being read, per layer. */
    private static final class Pass {
        private final TraceVisitor visitor;
        private final TreeMap<Integer, long[]> layers = new TreeMap<>();
        private int lastLayer = -1;
        private long lastLine;
        private long steps;

        Pass(TraceVisitor visitor) {
            this.visitor = visitor;
        }

        void add(long line, int layer, int expert) {
            if (layer < lastLayer) {
                end();
            }
            lastLayer = layer;
            lastLine = line;
            long[] counts = layers.computeIfAbsent(layer, l -> new long[expert + 1]);
            if (expert >= counts.length) {
                counts = Arrays.copyOf(counts, expert + 1);
                layers.put(layer, counts);
            }
            counts[expert]++;
        }

        void end() {
            if (!layers.isEmpty()) {
                long step = steps++;
                layers.forEach((layer, counts) -> visitor.counts(lastLine, step, layer, counts));
                layers.clear();
            }
            lastLayer = -1;
        }
    }
}
