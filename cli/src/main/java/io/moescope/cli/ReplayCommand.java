package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.model.Offloading;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-stream a stored run's router decisions through Kafka as a new run (source 'replay') at "
            + "the original pace times --speed, so that alert rules and dashboards see real traffic.",
            "A client of a running 'moescope serve' (POST /api/replays); Ctrl-C cancels the replay.",
            "With --model: run the prompts a probe run recorded again, with the same generation parameters, through "
                + "another model or setting (--expert-cache) as a new probe run, then print the comparison with the "
                + "original run and the dashboard URL."})
final class ReplayCommand implements Callable<Integer>, OptionBounds.Bounded {

    /** Faster than a million times the original pace is as fast as possible: give 0. */
    private static final double MAX_SPEED = 1_000_000;
    private static final long MAX_POLL_MILLIS = 60_000;

    @Option(names = "--run", required = true, paramLabel = "NAME", description = "Run name or id to replay.")
    private String run;

    @Option(names = "--speed", paramLabel = "X",
            description = "Original pace times X; 0 = as fast as possible (default: 1). Not with --model.")
    private Double speed;

    // --model is declared per command, not as a mixin: see ModelInputs.
    @Option(names = "--model", paramLabel = "DIR",
            description = "Re-run the run's recorded prompts through this checkpoint instead: " + ModelInputs.CHECKPOINT
                    + ".")
    private Path model;

    // Not shared with probe: absent means as the run recorded it, so these have no default.
    @Option(names = "--expert-cache", paramLabel = "C",
            description = "With --model: experts per MoE layer kept in memory (0 = all; default: as recorded).")
    private Integer expertCache;

    @Option(names = "--cache-policy", paramLabel = "POLICY", completionCandidates = LiveCachePolicies.class,
            description = "With --model: ${COMPLETION-CANDIDATES} (default: as recorded).")
    private CachePolicy cachePolicy;

    @Option(names = "--run-name", paramLabel = "NEW",
            description = "With --model: name of the new run (default: '<run> on <model dir>').")
    private String runName;

    /** Used with --model only: the new probe run goes to the platform like probe's. */
    @Mixin
    private PlatformKafkaOption kafka;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--store-timeout", defaultValue = "PT5M", hidden = true)
    private Duration storeTimeout;

    @Mixin
    private ServerOption server;

    @Option(names = "--poll-millis", defaultValue = "500", hidden = true)
    private long pollMillis;

    @Spec
    private CommandSpec spec;

    @Override
    public void checkBounds() {
        OptionBounds.between("--speed", speed, 0, MAX_SPEED);
        OptionBounds.between("--expert-cache", expertCache, 0, OptionBounds.MAX_EXPERTS);
        OptionBounds.between("--store-timeout", storeTimeout, Duration.ofSeconds(1), OptionBounds.MAX_WAIT);
        OptionBounds.between("--poll-millis", pollMillis, 1, MAX_POLL_MILLIS);
    }

    @Override
    public Integer call() throws Exception {
        if (cachePolicy != null) {
            Offloading.requireLive(cachePolicy);
        }
        var api = server.api();
        if (model != null) {
            if (speed != null) {
                throw new IllegalArgumentException("--speed re-streams stored decisions and --model re-runs the "
                        + "prompts through a model: give one of them");
            }
            if (expertCache != null && expertCache < 0) {
                throw new IllegalArgumentException("--expert-cache must be >= 0 but was " + expertCache);
            }
            return new ModelReplay(run, model, expertCache, cachePolicy, runName, kafka.bootstrapServers(),
                    compression.choose(kafka.embeddedBroker()), storeTimeout,
                    Duration.ofMillis(pollMillis)).run(api, spec.commandLine().getOut());
        }
        if (expertCache != null || cachePolicy != null || runName != null || compression.given()) {
            // without --model the platform sends the replay, with its own codec (moescope.kafka.compression)
            throw new IllegalArgumentException("--expert-cache, --cache-policy, --run-name and --compression need "
                    + "--model");
        }
        JsonNode status = api.startReplay(api.resolveRun(run), speed == null ? 1 : speed);
        String replayId = status.path("replayId").asText();
        var done = new AtomicBoolean();
        Thread cancelOnInterrupt = new Thread(() -> {
            if (!done.get()) {
                try {
                    api.cancelReplay(replayId);
                } catch (RuntimeException e) {
                    // the JVM is going down; the server's replay keeps its state either way
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setUnit(" tokens", 1)
                .setInitialMax(status.path("tokensTotal").asLong()).showSpeed().continuousUpdate().build()) {
            while ("RUNNING".equals(status.path("state").asText())) {
                Thread.sleep(pollMillis);
                status = api.replay(replayId);
                bar.stepTo(status.path("tokensSent").asLong());
            }
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("replay %s: %s, %d of %d tokens sent to run %s%n", replayId, status.path("state").asText(),
                status.path("tokensSent").asLong(), status.path("tokensTotal").asLong(), status.path("runId").asText());
        if (!status.path("error").isNull() && !status.path("error").isMissingNode()) {
            out.println("  error: " + status.path("error").asText());
        }
        return "FINISHED".equals(status.path("state").asText()) ? 0 : 1;
    }
}
