package io.moescope.cli;

import io.moescope.probe.importer.ImportReport;
import java.io.PrintWriter;

/** The end-of-import summary the user reads: counts, first rejections with line numbers, warm-up, notes. */
final class ImportSummary {

    private ImportSummary() {
    }

    static void print(ImportReport r, PrintWriter out) {
        out.printf("%s (%s) -> run %s (%s)%n", r.file(), r.format().id(), r.runName(), r.runId());
        out.printf("  rows read %d, rejected %d; imported %d tokens (%d decisions)%n", r.rowsRead(),
                r.rowsRejected(), r.tokensImported(), r.decisionsImported());
        out.printf("  gaps: %d missing (token, layer) rows%n", r.gaps());
        out.printf("  warm-up artefacts: %d tokens (%d decisions) of identical leading decisions%n",
                r.warmupTokens(), r.warmupDecisions());
        if (r.notRoutedIds() > 0) {
            out.printf("  %d expert ids >= N treated as not routed%n", r.notRoutedIds());
        }
        for (ImportReport.Rejection rejection : r.firstRejections()) {
            out.println("  rejected " + rejection);
        }
        if (r.rowsRejected() > r.firstRejections().size()) {
            out.printf("  ... and %d more rejected rows%n", r.rowsRejected() - r.firstRejections().size());
        }
        r.notes().forEach(note -> out.println("  note: " + note));
    }
}
