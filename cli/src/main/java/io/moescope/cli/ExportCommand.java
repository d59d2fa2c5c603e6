package io.moescope.cli;

import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportTally;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a stored run losslessly, streamed: a header describing the run's model and its token "
            + "count, then every token (request id, token index order), then an end line. 'moescope import' reads it "
            + "back.",
            "A client of a running 'moescope serve' (GET /api/runs/{runId}/export). It checks that every announced "
            + "token arrived and exits non-zero naming what is missing when the stream broke off; with --out the "
            + "file appears only once complete (meanwhile, and after a break, the data is in FILE.partial)."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "NAME", description = "Run name or id.")
    private String run;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|csv",
            description = "jsonl (one token per line) or csv (one token and layer per line); default ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "File to write (default: standard output).")
    private Path out;

    @Mixin
    private ServerOption server;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExportFormat exportFormat = ExportFormat.of(format);
        var api = server.api();
        String runId = api.resolveRun(run);
        var tally = new ExportTally(exportFormat);
        if (out == null) {
            download(api, runId, exportFormat, System.out, tally)
                    .ifPresent(missing -> incomplete(missing, "standard output holds a partial export"));
            return 0;
        }
        // Written beside FILE and moved into place only when complete: a broken stream never leaves a FILE that
        // looks whole, nor clobbers the one a previous export left there.
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Optional<String> missing;
        try (OutputStream file = Files.newOutputStream(partial)) {
            missing = download(api, runId, exportFormat, file, tally);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        missing.ifPresent(m -> incomplete(m, "the partial export is in " + partial + "; " + out + " was not written"));
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "exported run %s: %,d tokens to %s", run,
                tally.tokensReceived(), out));
        return 0;
    }

    /**
     * Copies the export to {@code target}, counting it.
     *
     * @return what is missing when the export is incomplete (with why, when the connection broke), else empty
     * @throws IOException when writing {@code target} fails
     */
    private static Optional<String> download(PlatformApi api, String runId, ExportFormat format, OutputStream target,
                                             ExportTally tally) throws IOException {
        var counted = new TallyingOutputStream(target, tally);
        String broke = "";
        try (InputStream in = api.export(runId, format.id())) {
            byte[] buffer = new byte[1 << 16];
            for (int n = read(in, buffer); n >= 0; n = read(in, buffer)) {
                counted.write(buffer, 0, n);
            }
        } catch (ConnectionBroke e) {
            broke = " (the connection broke: " + e.getCause().getMessage() + ")";
        }
        counted.flush();
        String why = broke;
        return tally.shortfall().map(missing -> missing + " received" + why);
    }

    private void incomplete(String missing, String where) {
        throw new IllegalStateException("export of run " + run + " incomplete: " + missing + "; " + where);
    }

    /** Reading the response failed: the stream broke, which the tally then reports, unlike a failing write. */
    private static int read(InputStream in, byte[] buffer) throws ConnectionBroke {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new ConnectionBroke(e);
        }
    }

    private static final class ConnectionBroke extends Exception {
        ConnectionBroke(IOException cause) {
            super(cause);
        }
    }
}
