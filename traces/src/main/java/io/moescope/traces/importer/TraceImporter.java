package io.moescope.traces.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one trace format. Implementations stream: they hold at most what one line, one request or one forward
 * pass needs, never the file. A bad line goes to {@link TraceVisitor#reject} and reading goes on.
 */
public interface TraceImporter {

    TraceFormat format();

    /**
     * @param head the first non-blank lines of a file (up to {@link FormatDetector#HEAD_LINES})
     * @return whether the file looks like this format
     */
    boolean recognises(List<String> head);

    /** Reads {@code source} from the start, reporting to {@code visitor}; {@code hints} are the user's options. */
    void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException;

    default void read(Path file, ModelHints hints, TraceVisitor visitor) throws IOException {
        read(TraceSource.of(file), hints, visitor);
    }
}
