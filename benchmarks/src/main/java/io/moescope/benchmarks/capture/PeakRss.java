package io.moescope.benchmarks.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory from the kernel ({@code VmHWM} of {@code /proc/self/status}), with the peak
 * reset to the current resident size between phases ({@code 5} written to {@code /proc/self/clear_refs}, Linux 4.0+)
 * so that each phase's peak is its own. Resident memory includes the checkpoint's mapped pages that were touched.
 * Where /proc lacks either file (not Linux), the figures are -1.
 */
final class PeakRss {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakRss() {
    }

    /** Resets the peak to the current resident size; false where the kernel does not offer it. */
    static boolean reset() {
        if (!Files.isWritable(CLEAR_REFS)) {
            return false;
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Peak resident bytes since the start or the last {@link #reset}; -1 where unknown. */
    static long bytes() {
        if (!Files.isReadable(STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.split("\\s+")[1]) * 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
