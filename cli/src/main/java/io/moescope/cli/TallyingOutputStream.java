package io.moescope.cli;

import io.moescope.traces.export.ExportTally;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes an export's bytes through unchanged and shows each complete line (up to a line break) to an
 * {@link ExportTally}; a last line without its line break was cut off and is not shown.
 */
final class TallyingOutputStream extends FilterOutputStream {

    private final ExportTally tally;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

    TallyingOutputStream(OutputStream out, ExportTally tally) {
        super(out);
        this.tally = tally;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                tally.line(line.toString(StandardCharsets.UTF_8));
                line.reset();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
    }
}
