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

    /** A token with the rows found for it, in layer order. */
    record Assembled(LayerRow first, List<RouterDecision> decisions) {
    }

    private record Key(String request, int token) {
    }

    private record RequestSpan(int maxToken, long tokens) {
    }

    private final int layers;
    private final int maxPending;
    private final Consumer<Assembled> out;
    private final ImportReport report;
    private final LinkedHashMap<Key, TreeMap<Integer, LayerRow>> pending = new LinkedHashMap<>();
    private final Map<String, RequestSpan> requests = new HashMap<>();

    TokenAssembler(int layers, int maxPending, ImportReport report, Consumer<Assembled> out) {
        this.layers = layers;
        this.maxPending = maxPending;
        this.report = report;
        this.out = out;
    }

    /** @throws IllegalArgumentException when the token already has a row for this layer */
    void add(LayerRow row) {
        var key = new Key(row.requestId(), row.tokenIndex());
        TreeMap<Integer, LayerRow> rows = pending.get(key);
        if (rows == null) {
            rows = new TreeMap<>();
            pending.put(key, rows);
            requests.merge(row.requestId(), new RequestSpan(row.tokenIndex(), 1),
                    (a, b) -> new RequestSpan(Math.max(a.maxToken(), b.maxToken()), a.tokens() + 1));
        }
        if (rows.putIfAbsent(row.decision().layer(), row) != null) {
            throw new IllegalArgumentException("duplicate row for request " + row.requestId() + ", token "
                    + row.tokenIndex() + ", layer " + row.decision().layer());
        }
        if (rows.size() == layers) {
            pending.remove(key);
            emit(rows);
        } else if (pending.size() > maxPending) {
            Iterator<TreeMap<Integer, LayerRow>> eldest = pending.values().iterator();
            TreeMap<Integer, LayerRow> incomplete = eldest.next();
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

    private void emit(TreeMap<Integer, LayerRow> rows) {
        report.gaps(layers - rows.size());
        var decisions = new ArrayList<RouterDecision>(rows.size());
        rows.values().forEach(r -> decisions.add(r.decision()));
        out.accept(new Assembled(rows.firstEntry().getValue(), decisions));
    }
}
