package io.moescope.traces.importer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line over the import's bound. Reading it whole would take the heap (a 100 MB line needed 5.6 GB), so it is
 * skipped unread; the importers reject it by file and line and go on with the next.
 */
public final class LineTooLongException extends IOException {

    private final long line;

    LineTooLongException(Path file, long line, long chars, int maxChars) {
        super(file + " line " + line + ": " + chars + " characters, over the " + maxChars
                + " a line may have (--max-line-chars)");
        this.line = line;
    }

    public long line() {
        return line;
    }
}
