package io.moescope.traces.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a trace's text comes from. An import opens it more than once (format detection, the shape scan, the
 * sending pass), so a source must give the same text from the start on every {@link #open()}: a file, or text
 * generated on demand (scale checks stream millions of rows without writing them to disk).
 */
public interface TraceSource {

    /** Names the trace in reports and messages; for a file, the file itself. */
    Path name();

    /** A fresh reader positioned at the first line. */
    BufferedReader open() throws IOException;

    static TraceSource of(Path file) {
        return of(file, ImportOptions.DEFAULT_MAX_LINE_CHARS);
    }

    /**
     * @param file         a trace file, or a directory of TensorRT-LLM expert statistics (read as its
     *                     {@value TensorRtExpertStatisticImporter#META_INFO}, beside which the rank files lie)
     * @param maxLineChars longer lines are skipped and reported ({@link LineTooLongException})
     */
    static TraceSource of(Path file, int maxLineChars) {
        Path meta = file.resolve(TensorRtExpertStatisticImporter.META_INFO);
        return new FileSource(Files.isDirectory(file) && Files.isRegularFile(meta) ? meta : file, maxLineChars);
    }

    /** A UTF-8 text file whose lines are bounded. */
    record FileSource(Path name, int maxLineChars) implements TraceSource {
        @Override
        public BufferedReader open() throws IOException {
            return new BoundedLineReader(Files.newBufferedReader(name, StandardCharsets.UTF_8), name, maxLineChars);
        }
    }
}
