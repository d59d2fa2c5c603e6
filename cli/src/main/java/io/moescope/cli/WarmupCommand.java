package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = "A run's expert cache as the probe measured it (--expert-cache C): hit rate, misses, load "
                + "latency and bytes read per layer, beside the LRU/LFU/Belady simulation for the same C "
                + "(GET /api/runs/{runId}/warmup of the running platform).")
final class WarmupCommand extends RunReportCommand {

    @Override
    String report() {
        return "warmup";
    }

    @Override
    Map<String, ?> query() {
        return PlatformApi.params();
    }

    @Override
    void print(String runId, JsonNode warmup, PrintWriter out) {
        JsonNode offloading = warmup.path("offloading");
        if (offloading.path("value").isNull()) {
            out.printf("run %s: %s%n", runId, offloading.path("reason").asText());
            return;
        }
        JsonNode cache = offloading.path("value");
        out.printf("run %s: measured expert cache C=%d %s, %d steps%n", runId, cache.path("capacity").asInt(),
                cache.path("policy").asText(), cache.path("steps").asLong());
        out.println("layer  accesses  hit rate [95 %]       misses  experts   MB read  load ms p50    p95    max"
                + String.format(Locale.ROOT, "  | %-20s %-20s %s", "simulated LRU [95 %]", "LFU", "Belady"));
        JsonNode layers = warmup.path("layers");
        for (JsonNode l : layers) {
            out.printf(Locale.ROOT, "%5d %9d  %-20s %7d %8d %9.2f %12s %6s %6s  | %-20s %-20s %-20s%n",
                    l.path("layer").asInt(), l.path("accesses").asLong(),
                    IntervalText.withInterval(l.path("hitRate").asDouble(), l.path("hitRateInterval95"), "%.3f"),
                    l.path("misses").asLong(), l.path("expertsUsed").asInt(), l.path("bytesRead").asLong() / 1e6,
                    ms(l.path("loadMsP50")), ms(l.path("loadMsP95")), ms(l.path("loadMsMax")),
                    simulated(l, 0), simulated(l, 1), simulated(l, 2));
        }
        if (!layers.isEmpty()) {
            JsonNode first = layers.get(0);
            JsonNode simulation = first.path("simulation");
            out.printf("95 %% intervals: measured, %s; simulated, %s%n",
                    IntervalText.method(first.path("hitRateInterval95")), simulation.path("value").isObject()
                            ? IntervalText.method(simulation.path("value").path("hitRateInterval95").path("LRU"))
                            : UndefinedFigure.describe(simulation));
        }
    }

    private static String ms(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
    }

    /** A simulated policy's hit rate with its interval (bootstrap over requests), or "-" without a simulation. */
    private static String simulated(JsonNode layer, int policy) {
        JsonNode simulation = layer.path("simulation").path("value");
        JsonNode warmup = simulation.path("policies").path(policy);
        JsonNode rate = warmup.path("hitRate");
        return rate.isNumber() ? IntervalText.withInterval(rate.asDouble(),
                simulation.path("hitRateInterval95").path(warmup.path("policy").asText()), "%.3f") : "-";
    }
}
