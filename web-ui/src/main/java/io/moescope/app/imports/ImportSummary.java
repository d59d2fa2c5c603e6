package io.moescope.app.imports;

import io.moescope.probe.importer.ImportReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-import summary the user reads, on the command line and in the Import view: counts, first rejections
 * with line numbers, gaps, warm-up artefacts, notes.
 */
public final class ImportSummary {

    private ImportSummary() {
    }

    public static void print(ImportReport r, PrintWriter out) {
        lines(r).forEach(out::println);
    }

    public static List<String> lines(ImportReport r) {
        var lines = new ArrayList<String>();
        lines.add(String.format("%s (%s) -> run %s (%s)", r.file(), r.format().id(), r.runName(), r.runId()));
        lines.add(String.format("  rows read %d, rejected %d; imported %d tokens (%d decisions)", r.rowsRead(),
                r.rowsRejected(), r.tokensImported(), r.decisionsImported()));
        lines.add(String.format("  gaps: %d missing (token, layer) rows", r.gaps()));
        lines.add(String.format("  warm-up artefacts: %d tokens (%d decisions) of identical leading decisions",
                r.warmupTokens(), r.warmupDecisions()));
        if (r.notRoutedIds() > 0) {
            lines.add(String.format("  %d expert ids >= N treated as not routed", r.notRoutedIds()));
        }
        for (ImportReport.Rejection rejection : r.firstRejections()) {
            lines.add("  rejected " + rejection);
        }
        if (r.rowsRejected() > r.firstRejections().size()) {
            lines.add(String.format("  ... and %d more rejected rows",
                    r.rowsRejected() - r.firstRejections().size()));
        }
        r.notes().forEach(note -> lines.add("  note: " + note));
        return lines;
    }
}
