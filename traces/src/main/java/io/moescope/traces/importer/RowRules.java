package io.moescope.traces.importer;

import io.moescope.events.validation.RejectedTokenException;
import io.moescope.events.validation.TokenRules;
import io.moescope.events.validation.TokenView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Applies ingest's model-free rules ({@link TokenRules}: weights all known, finite and non-negative or all unknown,
 * entropy finite and non-negative, distinct experts, layers and expert ids that fit storage's smallint) to every row
 * an importer reads, before the row reaches {@code next}; so that what an import counts as imported is what ingest
 * stores, and what ingest would dead-letter is rejected here by its line instead.
 * <p>
 * The rows of one line are held until the line is complete and then passed on together or, when any of them fails,
 * the line is rejected once with the first failure: a line is imported whole or not at all. The same holds for the
 * rules against the run's model that the sending pass adds (k, layers, ids >= N dropped). Expert ids beyond
 * {@link io.moescope.events.validation.StorableTokens#MAX_EXPERT_ID} are rejected here in both passes, so the shape
 * scan never derives N from them (no overflow of the largest id + 1).
 */
final class RowRules implements TraceVisitor {

    private final TraceVisitor next;
    private final UnaryOperator<LayerRow> model;
    private final List<LayerRow> rows = new ArrayList<>();
    private long line = -1;

    /**
     * @param model the rules against the run's model where it is known (the sending pass): a row as it is to be
     *              sent, or {@link IllegalArgumentException} saying why the line is rejected
     */
    RowRules(TraceVisitor next, UnaryOperator<LayerRow> model) {
        this.next = next;
        this.model = model;
    }

    @Override
    public void model(ModelHints hints) {
        next.model(hints);
    }

    @Override
    public void lineRead(long read) {
        flush();
        next.lineRead(read);
    }

    @Override
    public void row(long at, LayerRow row) {
        if (at != line) {
            flush();
            line = at;
        }
        rows.add(row);
    }

    /** Counts carry no decision of a token: they pass on as they are, checked by the sending pass. */
    @Override
    public void counts(long at, long step, int layer, long[] counts) {
        flush();
        next.counts(at, step, layer, counts);
    }

    @Override
    public void reject(long at, String reason) {
        if (at == line) {
            rows.clear();
        }
        flush();
        next.reject(at, reason);
    }

    @Override
    public void requestsNotSeparable(String why) {
        next.requestsNotSeparable(why);
    }

    @Override
    public void phasesUnknown(String why) {
        next.phasesUnknown(why);
    }

    @Override
    public void note(String what) {
        next.note(what);
    }

    /** Passes on the rows of the last line; call once the importer is done. */
    void finish() {
        flush();
    }

    private void flush() {
        if (rows.isEmpty()) {
            return;
        }
        var checked = new ArrayList<LayerRow>(rows.size());
        try {
            for (LayerRow row : rows) {
                // One row as a token of one decision; the run id is the import's own (a UUID), so it is left empty.
                TokenRules.check(TokenView.of("", row.requestId(), row.tokenIndex(), row.timestampMicros(),
                        List.of(row.decision())));
                checked.add(model.apply(row));
            }
        } catch (RejectedTokenException | IllegalArgumentException e) {
            next.reject(line, e.getMessage());
            return;
        } finally {
            rows.clear();
        }
        checked.forEach(row -> next.row(line, row));
    }
}
