package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that fetches one report about a run from the running platform ({@code GET /api/runs/{runId}/<report>})
 * and prints it as a table, or as the API's JSON with {@code --json}. Subclasses add their own options (picocli
 * reads the annotated fields of superclasses too) and say how the table looks.
 */
abstract class RunReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;
    @Mixin
    private ServerOption server;

    @Option(names = "--run", required = true, paramLabel = "NAME", description = "Run name or id.")
    private String run;
    @Option(names = "--json", description = "Print the whole answer as JSON (what the API returns).")
    private boolean json;

    @Override
    public final Integer call() {
        PlatformApi api = server.api();
        String runId = api.resolveRun(run);
        JsonNode answer = api.get("api/runs/" + runId + "/" + report(), query());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(PlatformApi.pretty(answer));
        } else {
            print(runId, answer, out);
        }
        return 0;
    }

    /** The last segment of the API path, e.g. {@code metrics}. */
    abstract String report();

    /** Query parameters from the subclass's options (null values are left out). */
    abstract Map<String, ?> query();

    abstract void print(String runId, JsonNode answer, PrintWriter out);
}
