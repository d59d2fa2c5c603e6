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
        out.printf(Locale.ROOT, "run %s: %d replicas on %d GPUs (%s policy); balancedness mean %.3f -> %.3f,"
                        + " worst layer %.3f -> %.3f%n", runId, plan.path("replicas").asInt(), gpus,
                plan.path("policy").asText(), plan.path("balancednessBefore").path("mean").asDouble(),
                plan.path("balancednessAfter").path("mean").asDouble(),
                plan.path("balancednessBefore").path("min").asDouble(),
                plan.path("balancednessAfter").path("min").asDouble());
        for (JsonNode l : plan.path("layers")) {
            out.printf(Locale.ROOT, "layer %d: %.3f -> %.3f  GPUs %s%n", l.path("layer").asInt(),
                    l.path("balancednessBefore").asDouble(), l.path("balancednessAfter").asDouble(),
                    l.path("gpuExperts"));
        }
    }
}
