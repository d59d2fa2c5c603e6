package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "Expert placement advice for a run's measured loads: DeepSeek EPLB with predicted"
                + " balancedness before and after (GET /api/runs/{runId}/placement).")
final class PlacementCommand extends RunReportCommand implements OptionBounds.Bounded {

    @Option(names = "--gpus", required = true, paramLabel = "G", description = "GPUs.")
    private int gpus;
    @Option(names = "--replicas", paramLabel = "R",
            description = "Physical expert slots per layer, a multiple of G (default: the fewest that hold N).")
    private Integer replicas;
    @Option(names = "--groups", defaultValue = "1", paramLabel = "N", description = "Expert groups (default 1).")
    private int groups;
    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N", description = "Nodes (default 1).")
    private int nodes;
    @Mixin
    private PhaseOption phase;

    /** What needs no run; the bounds from the run's experts are the API's (PlacementShape, docs/api.md). */
    @Override
    public void checkBounds() {
        OptionBounds.placement("--gpus", gpus);
        OptionBounds.placement("--replicas", replicas);
        OptionBounds.placement("--groups", groups);
        OptionBounds.placement("--nodes", nodes);
    }

    @Override
    String report() {
        return "placement";
    }

    @Override
    Map<String, ?> query() {
        return PlatformApi.params("gpus", gpus, "replicas", replicas, "groups", groups, "nodes", nodes,
                "phase", phase.phase);
    }

    @Override
    void print(String runId, JsonNode plan, PrintWriter out) {
        JsonNode before = plan.path("balancednessBefore");
        JsonNode after = plan.path("balancednessAfter");
        out.printf(Locale.ROOT, "run %s: %d replicas on %d GPUs (%s policy); balancedness mean %s -> %s,"
                        + " worst layer %.3f -> %.3f%n", runId, plan.path("replicas").asInt(), gpus,
                plan.path("policy").asText(), mean(before), mean(after), before.path("min").asDouble(),
                after.path("min").asDouble());
        for (JsonNode l : plan.path("layers")) {
            JsonNode intervals = l.path("interval95");
            out.printf(Locale.ROOT, "layer %d: %s -> %s  %d tokens  GPUs %s%n", l.path("layer").asInt(),
                    IntervalText.withInterval(l.path("balancednessBefore").asDouble(),
                            intervals.path("balancednessBefore"), "%.3f"),
                    IntervalText.withInterval(l.path("balancednessAfter").asDouble(),
                            intervals.path("balancednessAfter"), "%.3f"),
                    l.path("tokens").asLong(), l.path("gpuExperts"));
        }
        // the plan is held fixed and the run's units resampled: the bracket is how it would balance traffic like this
        out.println("95 % intervals (this placement on resampled traffic): "
                + IntervalText.method(before.path("interval95").path("mean")));
    }

    private static String mean(JsonNode summary) {
        return IntervalText.withInterval(summary.path("mean").asDouble(), summary.path("interval95").path("mean"),
                "%.3f");
    }
}
