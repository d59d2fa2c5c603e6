package io.moescope.traces.importer;

import io.moescope.traces.export.ExportTally;

/**
 * Importing a broken-off export would store a run that looks whole but is not, so a moescope export whose header
 * announces more tokens than the file holds is refused before anything is sent (the shape scan reads the whole file
 * first). Files without a moescope header, and version 1 exports (no count), are not checked.
 */
final class PartialExports {

    private PartialExports() {
    }

    /** Counts a line; a malformed header is left to the importer, which rejects that line itself. */
    static void count(ExportTally tally, String line) {
        try {
            tally.line(line);
        } catch (IllegalArgumentException reportedByTheImporter) {
            // the importer's own parse of the line names the problem
        }
    }

    /** @throws IllegalArgumentException naming the file and what is missing, when it is a partial export */
    static void refuse(ExportTally tally, TraceSource source) {
        if (tally.header().isEmpty()) {
            return;
        }
        tally.shortfall().ifPresent(missing -> {
            throw new IllegalArgumentException(source.name() + " is a partial moescope export (" + missing
                    + "): export the run again");
        });
    }
}
