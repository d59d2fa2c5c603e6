package io.moescope.traces.importer;

/** What an importer reports while it reads a file, line by line, in file order. */
public interface TraceVisitor {

    /** A metadata line or header described the model. */
    void model(ModelHints hints);

    /** A data line was read (whether or not it turns out valid). */
    void lineRead(long line);

    /** A decision read from {@code line}. */
    void row(long line, LayerRow row);

    /**
     * How often each expert was chosen at {@code layer} during {@code step}, from a format that counts choices
     * without recording tokens (an aggregate-only trace); steps come in ascending order, a step's layers in any order.
     *
     * @param line   where the step was read: a line number, or 0 for a format that has no lines
     * @param counts choices by expert id; as long as the largest id the step chose there + 1, or N
     */
    void counts(long line, long step, int layer, long[] counts);

    /** {@code line} could not be used; the reader goes on with the next one. */
    void reject(long line, String reason);

    /**
     * The trace's requests cannot be told apart (one request id for a batch of prompts; an export of such a run),
     * and why, in words; told once the reader knows (a trace's forward passes: once the whole file was read). Each
     * reason becomes the run's ({@code RunLifecycle.requestsNotSeparable}): its sequence metrics are then undefined.
     */
    default void requestsNotSeparable(String why) {
    }

    /**
     * No row's phase can be told, and why, in words; told once the whole file was read, after its rows went by with
     * the phase the reader assumed (a trace whose only stream never restarts its positions: one prompt's prefill,
     * or positions counted across forward passes). The import then stores every row with phase unknown. The
     * reason is also why the requests cannot be told apart, so a visitor that does not ask is told it as that.
     */
    default void phasesUnknown(String why) {
        requestsNotSeparable(why);
    }

    /**
     * Something the summary should say about what was read or left out (e.g. lines of a block that is not routing
     * of the decoder), once the whole file was read. Passes that only learn the model's shape ignore it.
     */
    default void note(String what) {
    }
}
