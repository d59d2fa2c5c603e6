package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs per layer: Jensen-Shannon divergence of the loads and, over the same"
                + " prompts, top-k overlap (GET /api/compare).")
final class CompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;
    @Mixin
    private ServerOption server;

    @Option(names = "--run", required = true, arity = "1", paramLabel = "NAME",
            description = "Run name or id; give it twice.")
    private List<String> runs;
    @Mixin
    private PhaseOption phase;
    @Option(names = "--json", description = "Print the comparison as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        if (runs.size() != 2) {
            throw new IllegalArgumentException("--run must be given exactly twice, got " + runs.size());
        }
        PlatformApi api = server.api();
        JsonNode comparison = api.get("api/compare", PlatformApi.params("a", api.resolveRun(runs.get(0)),
                "b", api.resolveRun(runs.get(1)), "phase", phase.phase));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(PlatformApi.pretty(comparison));
            return 0;
        }
        print(out, comparison);
        return 0;
    }

    /** The comparison (GET /api/compare) as a table: one line per layer, each figure with its 95 % interval. */
    static void print(PrintWriter out, JsonNode comparison) {
        out.printf("%s vs %s: %s, %d shared tokens%n", comparison.path("a").asText(), comparison.path("b").asText(),
                comparison.path("tokenSet").asText(), comparison.path("tokensCompared").asLong());
        out.println("layer  JSD(bits) [95 % interval]  top-k overlap [95 % interval]");
        for (JsonNode l : comparison.path("layers")) {
            JsonNode intervals = l.path("interval95");
            out.printf(Locale.ROOT, "%5d  %-25s  %s%n", l.path("layer").asInt(),
                    figure(l.path("jsdBits"), null, intervals.path("jsdBits")),
                    figure(l.path("topKOverlap"), null, intervals.path("topKOverlap")));
        }
        JsonNode model = comparison.path("model");
        JsonNode intervals = model.path("interval95");
        out.printf(Locale.ROOT, "model  %-25s  %s  (mean over layers)%n",
                figure(model.path("jsdBits"), "mean", intervals.path("jsdBits")),
                figure(model.path("topKOverlap"), "mean", intervals.path("topKOverlap")));
        // A "-" in the table does not say why.
        printIfUndefined(out, "JSD", model.path("jsdBits"));
        printIfUndefined(out, "top-k overlap", model.path("topKOverlap"));
        out.println("95 % intervals: JSD " + IntervalText.method(intervals.path("jsdBits")) + "; top-k overlap "
                + IntervalText.method(intervals.path("topKOverlap")));
    }

    private static void printIfUndefined(PrintWriter out, String figure, JsonNode defined) {
        if (!defined.path("value").isObject()) {
            out.println(figure + ": " + UndefinedFigure.describe(defined));
        }
    }

    /**
     * The defined value (or its field {@code field} when it is an aggregate) with its interval; "-" when undefined.
     */
    private static String figure(JsonNode defined, String field, JsonNode interval) {
        JsonNode value = field == null ? defined.path("value") : defined.path("value").path(field);
        return value.isNumber() ? IntervalText.withInterval(value.asDouble(), interval, "%.4f") : "-";
    }
}
