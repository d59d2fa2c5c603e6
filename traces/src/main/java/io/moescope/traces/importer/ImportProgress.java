package io.moescope.traces.importer;

/** Progress of one file's import: the first pass scans the model's shape, the second sends the tokens. */
@FunctionalInterface
public interface ImportProgress {

    /** Data lines sent so far in the second pass; told every 1024 lines and at the end. */
    void rowsImported(long rows);

    /** Data lines scanned so far in the first pass; told every 1024 lines and at the end. */
    default void rowsScanned(long rows) {
    }
}
