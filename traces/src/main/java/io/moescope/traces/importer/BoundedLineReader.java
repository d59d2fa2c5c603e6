package io.moescope.traces.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Lines of a trace, each at most {@code maxChars} long: {@link BufferedReader#readLine()} would build a line of any
 * length in memory. A longer line is read through to its end without being kept, and reported by
 * {@link LineTooLongException}; the next call returns the line after it. Lines end at {@code \n} or
 * {@code \r\n}. It extends BufferedReader so that every importer reads through the same type, but buffers itself:
 * only {@link #readLine()} and {@link #close()} are meant to be used.
 */
final class BoundedLineReader extends BufferedReader {

    private final Reader in;
    private final Path file;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int end;
    private long lines;

    BoundedLineReader(Reader in, Path file, int maxChars) {
        super(in, 1);
        this.in = in;
        this.file = file;
        this.maxChars = maxChars;
    }

    @Override
    public String readLine() throws IOException {
        var text = new StringBuilder();
        long length = 0;
        boolean any = false;
        while (true) {
            if (position == end && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            int start = position;
            while (position < end && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            if (length + chunk <= maxChars + 1L) {
                text.append(buffer, start, chunk);
            }
            length += chunk;
            if (position < end) {
                position++;
                break;
            }
        }
        lines++;
        if (length > 0 && length <= maxChars + 1L && text.charAt(text.length() - 1) == '\r') {
            text.setLength(text.length() - 1);
            length--;
        }
        if (length > maxChars) {
            throw new LineTooLongException(file, lines, length, maxChars);
        }
        return text.toString();
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
