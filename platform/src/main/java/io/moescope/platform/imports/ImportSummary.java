package io.moescope.platform.imports;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.delivery.RunOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-import summary the user reads, on the command line and in the Import view: counts, first rejections
 * with line numbers, gaps, warm-up artefacts, requests that cannot be told apart, notes. Only for an import whose every record Kafka acknowledged; one
 * that Kafka did not take whole gets {@link #undelivered} instead, which never says "imported".
 */
public final class ImportSummary {

    private ImportSummary() {
    }

    public static void print(ImportReport r, PrintWriter out) {
        lines(r).forEach(out::println);
    }

    /**
     * What became of the file {@code file}, whose records Kafka did not all acknowledge: tokens delivered and not,
     * why, whether the partial run is marked FAILED, and what to do.
     */
    public static List<String> undelivered(Path file, RunOutcome.Undelivered<ImportReport> u) {
        String run = u.run().map(r -> " -> run " + r.runName() + " (" + r.runId() + ")").orElse("");
        String format = u.result().map(r -> " (" + r.format().id() + ")").orElse("");
        var lines = new ArrayList<String>();
        lines.add(file + format + run + ": import FAILED, Kafka did not acknowledge every record");
        u.result().ifPresent(r -> lines.add(String.format("  rows read %d, rejected %d", r.rowsRead(),
                r.rowsRejected())));
        lines.add("  " + u.message());
        lines.add("  import the file again once Kafka is reachable (the new run gets a new id)");
        return lines;
    }

    /** Name, architecture and router shape; with a model config also the parameter counts users compare by. */
    private static String model(ImportReport r) {
        ModelIdentity m = r.model();
        String shape = String.format("%s (%s): %d experts, top-%d, %d MoE layers of %d", m.name(), m.architecture(),
                m.numExperts(), m.topK(), m.moeLayers().size(), m.numLayers());
        return r.parameters() == null ? shape : shape + "; " + r.parameters().describe();
    }

    public static List<String> lines(ImportReport r) {
        var lines = new ArrayList<String>();
        lines.add(String.format("%s (%s) -> run %s (%s)", r.file(), r.format().id(), r.runName(), r.runId()));
        lines.add("  model " + model(r));
        lines.add(String.format("  rows read %d, rejected %d; imported %d tokens (%d decisions)", r.rowsRead(),
                r.rowsRejected(), r.tokensImported(), r.decisionsImported()));
        if (r.stepsImported() > 0) {
            lines.add(String.format("  aggregate-only: %d steps of expert counts, no token recorded (load metrics"
                    + " only)", r.stepsImported()));
        }
        lines.add(String.format("  gaps: %d missing (token, layer) rows", r.gaps()));
        lines.add(String.format("  warm-up artefacts: %d tokens (%d decisions) in %d blocks of identical decisions, %s",
                r.warmupTokens(), r.warmupDecisions(), r.warmupBlockCount(), r.warmupIncluded()
                        ? "imported under request warmup/<request>" : "left out (--include-warmup imports them)"));
        r.warmupBlocks().forEach(block -> lines.add("  warm-up block " + block));
        if (r.warmupBlockCount() > r.warmupBlocks().size()) {
            lines.add(String.format("  ... and %d more warm-up blocks", r.warmupBlockCount() - r.warmupBlocks().size()));
        }
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
        r.requestsNotSeparable().ifPresent(why -> lines.add("  requests: not separable, " + why));
        r.notes().forEach(note -> lines.add("  note: " + note));
        return lines;
    }
}
