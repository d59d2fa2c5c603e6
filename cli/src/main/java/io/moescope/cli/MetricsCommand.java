package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.analytics.suite.SuiteOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "The routing-metric suite of a run (GET /api/runs/{runId}/metrics of the running platform).")
final class MetricsCommand extends RunReportCommand implements OptionBounds.Bounded {

    @Option(names = "--layer", paramLabel = "L",
            description = "Layer of the warm-up, co-activation and vocabulary detail (default: the first MoE layer).")
    private Integer layer;
    @Mixin
    private PhaseOption phase;
    @Option(names = "--request", paramLabel = "ID", description = "Only tokens of this request.")
    private String request;
    @Option(names = "--tau", paramLabel = "TAU", description = "Dead-expert threshold as a fraction of 1/N (0.1).")
    private Double tau;

    /** What needs no run; the layer against the run's MoE layers is the API's check (docs/api.md, "Bounds"). */
    @Override
    public void checkBounds() {
        OptionBounds.between("--layer", layer, 0, OptionBounds.MAX_LAYER);
        // the suite's own rule, as the API applies it
        if (tau != null) {
            OptionBounds.byRule("--tau", "tau", () -> new SuiteOptions(OptionalInt.empty(), tau, OptionalInt.empty(),
                    SuiteOptions.DEFAULT_WINDOW));
        }
    }

    @Override
    String report() {
        return "metrics";
    }

    @Override
    Map<String, ?> query() {
        return PlatformApi.params("layer", layer, "phase", phase.phase, "request", request, "tau", tau);
    }

    @Override
    void print(String runId, JsonNode suite, PrintWriter out) {
        out.printf("run %s: %s, %d tokens, N=%d, top-%d%n", runId, suite.path("tokenSet").asText(),
                suite.path("tokens").asLong(), suite.path("numExperts").asInt(), suite.path("topK").asInt());
        printComputation(suite.path("computed"), out);
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"layer", "maxVio", "cv", "gini", "entropy", "effective", "dead",
            "verdict (95 % intervals in brackets)"});
        suite.path("layers").forEach(l -> table.add(layerRow(l)));
        JsonNode model = suite.path("model").path("value");
        if (model.isObject()) {
            table.add(modelRow(model));
        }
        printAligned(table, out);
        if (model.isObject()) {
            out.println("95 % intervals: " + IntervalText.method(model.path("interval95").path("maxVio")));
        }
        JsonNode defined = suite.path("modelConsistency");
        JsonNode consistency = defined.path("value");
        if (!consistency.isObject()) {
            out.println("routing consistency (layers pooled): " + UndefinedFigure.describe(defined));
        } else {
            JsonNode intervals = consistency.path("interval95");
            out.printf(Locale.ROOT, "routing consistency (layers pooled, %d pairs): same first choice %s (random "
                            + "%.3f), top-k intersect %s (random %.3f)%n", consistency.path("pairs").asLong(),
                    figure(consistency, intervals, "sameFirstChoice", "%.3f"),
                    consistency.path("sameFirstChoiceBaseline").asDouble(),
                    figure(consistency, intervals, "topKIntersect", "%.3f"),
                    consistency.path("topKIntersectBaseline").asDouble());
        }
        printVocabulary(suite.path("vocabulary"), out);
    }

    /**
     * Whether the answer is the run's stored suite, and when that was computed: the figures cover the run as it was
     * then. A computed answer may cover less than the run (a phase, a request); the run's decisions say its size.
     */
    private static void printComputation(JsonNode computed, PrintWriter out) {
        if (computed.path("stored").asBoolean()) {
            out.printf(Locale.ROOT, "stored analysis, computed %s over %,d decisions%n", computed.path("at").asText(),
                    computed.path("runDecisions").asLong());
        } else {
            out.printf(Locale.ROOT, "computed now; the run holds %,d decisions%n",
                    computed.path("runDecisions").asLong());
        }
    }

    private static void printVocabulary(JsonNode defined, PrintWriter out) {
        JsonNode vocabulary = defined.path("value");
        if (!vocabulary.isObject()) {
            out.println("vocabulary specialisation: " + UndefinedFigure.describe(defined));
            return;
        }
        JsonNode interval = vocabulary.path("interval95");
        out.printf(Locale.ROOT, "vocabulary specialisation (layer %d, %d token ids seen >= %d times): %s"
                        + " (random %.3f); 95 %% interval: %s%n", vocabulary.path("layer").asInt(),
                vocabulary.path("idsCounted").asInt(), vocabulary.path("minOccurrences").asInt(),
                IntervalText.withInterval(vocabulary.path("mean").asDouble(), interval, "%.3f"),
                vocabulary.path("baseline").asDouble(), IntervalText.method(interval));
    }

    private static String[] layerRow(JsonNode l) {
        JsonNode intervals = l.path("interval95");
        return new String[] {Integer.toString(l.path("layer").asInt()),
            figure(l, intervals, "maxVio", "%.3f"), figure(l, intervals, "cv", "%.3f"),
            figure(l, intervals, "gini", "%.3f"), figure(l, intervals, "normalisedEntropy", "%.3f"),
            figure(l, intervals, "effectiveExperts", "%.2f"),
            IntervalText.withInterval(l.path("deadExperts").path("dead").size(), intervals.path("deadExperts"), "%.0f"),
            l.path("verdict").path("status").asText() + ": " + l.path("verdict").path("reason").asText()};
    }

    private static String[] modelRow(JsonNode model) {
        JsonNode intervals = model.path("interval95");
        JsonNode worst = model.path("worstVerdict");
        return new String[] {"model", mean(model, intervals, "maxVio", "%.3f"), mean(model, intervals, "cv", "%.3f"),
            mean(model, intervals, "gini", "%.3f"), mean(model, intervals, "normalisedEntropy", "%.3f"),
            mean(model, intervals, "effectiveExperts", "%.2f"), mean(model, intervals, "deadExperts", "%.1f"),
            String.format(Locale.ROOT, "%s (mean over layers; worst: layer %d, %s)", worst.path("status").asText(),
                    worst.path("layer").asInt(), worst.path("reason").asText())};
    }

    /**
     * The rows with every figure column as wide as its widest cell (a figure with its interval, or the header), so
     * that each header stands over its column; the layer right-aligned, the verdict last and unpadded.
     */
    private static void printAligned(List<String[]> table, PrintWriter out) {
        int columns = table.get(0).length;
        int[] width = new int[columns];
        for (String[] row : table) {
            for (int c = 1; c < columns - 1; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5s", row[0]));
            for (int c = 1; c < columns - 1; c++) {
                line.append("  ").append(row[c]).append(" ".repeat(width[c] - row[c].length()));
            }
            out.println(line.append("  ").append(row[columns - 1]));
        }
    }

    private static String figure(JsonNode layer, JsonNode intervals, String metric, String format) {
        return IntervalText.withInterval(layer.path(metric).asDouble(), intervals.path(metric), format);
    }

    private static String mean(JsonNode model, JsonNode intervals, String metric, String format) {
        return IntervalText.withInterval(model.path(metric).path("mean").asDouble(), intervals.path(metric), format);
    }
}
