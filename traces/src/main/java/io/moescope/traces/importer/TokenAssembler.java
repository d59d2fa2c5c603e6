package io.moescope.traces.importer;

import io.moescope.events.RouterDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Groups (token, layer) rows into tokens. A token is complete when every MoE layer of the run has a row; complete
 * tokens leave at once, so memory holds only tokens whose layers are still arriving (one forward pass, typically).
 * Beyond {@code maxPending} such tokens the oldest leaves incomplete, its missing layers counted as gaps; at the end
 * every pending token leaves the same way, and whole tokens missing inside a request (index jumps) are counted too.
 */
final class TokenAssembler {

    /**
     * A token with the rows found for it, in layer order.
     *
     * @param firstLine the line of its first row in the file, lastLine of its last (where a summary points)
     */
    record Assembled(LayerRow first, List<RouterDecision> decisions, long firstLine, long lastLine) {
    }

    /** A token's rows so far, by layer, and the lines they came from. */
    private static final class Pending {
        private final TreeMap<Integer, LayerRow> rows = new TreeMap<>();
        private final long firstLine;
        private long lastLine;

        Pending(long line) {
            this.firstLine = line;
            this.lastLine = line;
        }
    }

    private record Key(String request, int token) {
    }

    private record RequestSpan(int maxToken, long tokens) {
    }

    private final int layers;
    private final int maxPending;
    private final Consumer<Assembled> out;
    private final ImportReport report;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private final Map<String, RequestSpan> requests = new HashMap<>();

    TokenAssembler(int layers, int maxPending, ImportReport report, Consumer<Assembled> out) {
        this.layers = layers;
        this.maxPending = maxPending;
        this.report = report;
        this.out = out;
    }

    /**
     * @param line the row's line in the file
     * @throws IllegalArgumentException when the token already has a row for this layer
     */
    void add(long line, LayerRow row) {
        var key = new Key(row.requestId(), row.tokenIndex());
        Pending token = pending.get(key);
        if (token == null) {
            token = new Pending(line);
            pending.put(key, token);
            requests.merge(row.requestId(), new RequestSpan(row.tokenIndex(), 1),
                    (a, b) -> new RequestSpan(Math.max(a.maxToken(), b.maxToken()), a.tokens() + 1));
        }
        TreeMap<Integer, LayerRow> rows = token.rows;
        if (rows.putIfAbsent(row.decision().layer(), row) != null) {
            throw new IllegalArgumentException("duplicate row for request " + row.requestId() + ", token "
                    + row.tokenIndex() + ", layer " + row.decision().layer());
        }
        token.lastLine = Math.max(token.lastLine, line);
        if (rows.size() == layers) {
            pending.remove(key);
            emit(token);
        } else if (pending.size() > maxPending) {
            Iterator<Pending> eldest = pending.values().iterator();
            Pending incomplete = eldest.next();
            eldest.remove();
            emit(incomplete);
        }
    }

    void finish() {
        pending.values().forEach(this::emit);
        pending.clear();
        for (RequestSpan span : requests.values()) {
            report.gaps((span.maxToken() + 1 - span.tokens()) * layers);
        }
    }

    private void emit(Pending token) {
        TreeMap<Integer, LayerRow> rows = token.rows;
        report.gaps(layers - rows.size());
        var decisions = new ArrayList<RouterDecision>(rows.size());
        rows.values().forEach(r -> decisions.add(r.decision()));
        out.accept(new Assembled(rows.firstEntry().getValue(), decisions, token.firstLine, token.lastLine));
    }
}
