package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.RunWorkload;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.WorkloadRerun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code replay --model}: runs a probe run's recorded workload again (same prompts, same generation parameters)
 * through another model or setting as a new probe run, waits until the platform stored it, and prints its
 * comparison with the original run and where to see it on the dashboard.
 *
 * @param expertCache  experts per layer resident under offloading; null = as recorded
 * @param cachePolicy  eviction policy; null = as recorded
 * @param runName      name of the new run; null = "ORIGINAL on MODEL-DIR"
 * @param compression  the batch codec of the new run's producer
 * @param storeTimeout how long to wait for the platform to store the new run
 */
record ModelReplay(String run, Path model, Integer expertCache, CachePolicy cachePolicy, String runName,
                   String bootstrapServers, ProducerCompression compression, Duration storeTimeout,
                   Duration pollInterval) {

    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED");

    int run(PlatformApi api, PrintWriter out) throws InterruptedException {
        requireCheckpoint(model);
        String sourceId = api.resolveRun(run);
        JsonNode source = api.run(sourceId);
        RunWorkload workload = api.workload(sourceId);
        KafkaRoutingSink.requireReachable(bootstrapServers, Duration.ofSeconds(10));
        ProbeRequest request = WorkloadRerun.request(workload, model, name(source),
                expertCache != null ? expertCache : workload.generation().expertCache(),
                cachePolicy != null ? cachePolicy : CachePolicy.valueOf(workload.generation().cachePolicy()));
        out.printf("re-running %d requests of run %s (%s) through %s as run '%s'%n", request.prompts().size(),
                source.path("name").asText(), sourceId, model, request.runName());
        out.flush();
        ProbeResult result = ProbeCommand.runWithProgress(request, new KafkaRoutingSink(bootstrapServers, compression,
                Map.of(), DeliveryOptions.defaults()));
        JsonNode stored = awaitStored(api, result);
        CompareCommand.print(out, api.get("api/compare", PlatformApi.params("a", sourceId, "b", result.runId())));
        out.println("dashboard: " + api.dashboardUrl(result.runId()));
        return "FINISHED".equals(stored.path("status").asText()) ? 0 : 1;
    }

    /** A bad directory is reported before anything is fetched or sent. */
    private static void requireCheckpoint(Path model) {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a directory (expected an HF checkpoint"
                    + " directory with config.json, model.safetensors and tokenizer.json)");
        }
        try (var checkpoint = MoeCheckpoint.open(model)) {
            // opening validates config, tensors and tokenizer
        }
    }

    private String name(JsonNode source) {
        return runName != null ? runName
                : source.path("name").asText() + " on " + model.toAbsolutePath().getFileName();
    }

    /** Waits until the platform stored every token the probe sent and the run's end. */
    private JsonNode awaitStored(PlatformApi api, ProbeResult result) throws InterruptedException {
        long deadline = System.nanoTime() + storeTimeout.toNanos();
        while (true) {
            JsonNode stored = storedRun(api, result.runId());
            if (stored != null && ENDED.contains(stored.path("status").asText())
                    && stored.path("tokens").asLong() == result.tokens()) {
                return stored;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the platform did not store run " + result.runId() + " within "
                        + storeTimeout.toSeconds() + " s (" + (stored == null ? "not seen yet"
                        : stored.path("tokens").asLong() + " of " + result.tokens() + " tokens stored")
                        + "); is its ingest consuming from Kafka at " + bootstrapServers + "?");
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private static JsonNode storedRun(PlatformApi api, String runId) {
        try {
            return api.run(runId);
        } catch (IllegalArgumentException notYet) {
            return null;
        }
    }
}
