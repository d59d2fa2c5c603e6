package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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
            "A client of a running 'moescope serve' (POST /api/replays); Ctrl-C cancels the replay."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "NAME", description = "Run name or id to replay.")
    private String run;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "X",
            description = "Original pace times X; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    private double speed;

    @Mixin
    private ServerOption server;

    @Option(names = "--poll-millis", defaultValue = "500", hidden = true)
    private long pollMillis;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var api = server.api();
        JsonNode status = api.startReplay(api.resolveRun(run), speed);
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
