package io.moescope.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a stored run losslessly, streamed: a header describing the run's model, then every "
            + "token (request id, token index order). 'moescope import' reads it back.",
            "A client of a running 'moescope serve' (GET /api/runs/{runId}/export)."})
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

    @Override
    public Integer call() throws Exception {
        var api = server.api();
        String runId = api.resolveRun(run);
        try (InputStream in = api.export(runId, format);
             OutputStream target = out == null ? System.out : Files.newOutputStream(out)) {
            in.transferTo(target);
            target.flush();
        }
        return 0;
    }
}
