package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.analytics.suite.SuiteOptions;
import java.io.PrintWriter;
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
        out.println("layer  maxVio     cv   gini  entropy  effective  dead  verdict");
        for (JsonNode l : suite.path("layers")) {
            out.printf(Locale.ROOT, "%5d %7.3f %6.3f %6.3f %8.3f %10.2f %5d  %s: %s%n", l.path("layer").asInt(),
                    l.path("maxVio").asDouble(), l.path("cv").asDouble(), l.path("gini").asDouble(),
                    l.path("normalisedEntropy").asDouble(), l.path("effectiveExperts").asDouble(),
                    l.path("deadExperts").path("dead").size(), l.path("verdict").path("status").asText(),
                    l.path("verdict").path("reason").asText());
        }
        JsonNode model = suite.path("model").path("value");
        if (model.isObject()) {
            JsonNode worst = model.path("worstVerdict");
            out.printf(Locale.ROOT, "model %7.3f %6.3f %6.3f %8.3f %10.2f %5.1f  %s (mean over layers; worst: layer %d,"
                            + " %s)%n",
                    mean(model, "maxVio"), mean(model, "cv"), mean(model, "gini"), mean(model, "normalisedEntropy"),
                    mean(model, "effectiveExperts"), mean(model, "deadExperts"),
                    worst.path("status").asText(), worst.path("layer").asInt(), worst.path("reason").asText());
        }
        JsonNode defined = suite.path("modelConsistency");
        JsonNode consistency = defined.path("value");
        if (!consistency.isObject()) {
            out.println("routing consistency (layers pooled): " + UndefinedFigure.describe(defined));
        } else {
            out.printf(Locale.ROOT, "routing consistency (layers pooled, %d pairs): same first choice %.3f (random "
                            + "%.3f), top-k intersect %.3f (random %.3f)%n", consistency.path("pairs").asLong(),
                    consistency.path("sameFirstChoice").asDouble(), consistency.path("sameFirstChoiceBaseline").asDouble(),
                    consistency.path("topKIntersect").asDouble(), consistency.path("topKIntersectBaseline").asDouble());
        }
    }

    private static double mean(JsonNode model, String metric) {
        return model.path(metric).path("mean").asDouble();
    }
}
