package io.moescope.traces.importer;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;

/**
 * The lines of a trace as the importers walk them: numbered from 1, and a line over the import's bound
 * ({@link LineTooLongException}) rejected to the visitor by its number and skipped, so that one bad line costs
 * neither the heap nor the rest of the file.
 */
final class TraceLines implements Closeable {

    private final BufferedReader reader;
    private final TraceVisitor visitor;
    private long line;

    private TraceLines(BufferedReader reader, TraceVisitor visitor) {
        this.reader = reader;
        this.visitor = visitor;
    }

    static TraceLines open(TraceSource source, TraceVisitor visitor) throws IOException {
        return new TraceLines(source.open(), visitor);
    }

    /** @return the next line that is not too long, or null at the end */
    String next() throws IOException {
        while (true) {
            try {
                String text = reader.readLine();
                if (text != null) {
                    line++;
                }
                return text;
            } catch (LineTooLongException e) {
                line++;
                visitor.lineRead(line);
                visitor.reject(line, e.getMessage());
            }
        }
    }

    /** The number of the line {@link #next()} returned last. */
    long line() {
        return line;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
