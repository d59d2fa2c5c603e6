package io.moescope.platform.demo;

import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * On start, makes sure the demo checkpoint exists and streams a short workload through the probe into Kafka, so
 * that a new user sees a run arrive on the dashboard. Runs off the start-up thread: the dashboard is up first.
 */
@Component
@ConditionalOnProperty(name = "moescope.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoWorkload {

    private static final Logger log = LoggerFactory.getLogger(DemoWorkload.class);

    /** Short prompts of different kinds, so that routing differs between requests. */
    static final List<String> PROMPTS = List.of(
            "The mixture of experts routes every token to two of eight experts.",
            "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)",
            "Bonjour! Comment allez-vous aujourd'hui?",
            "SELECT expert, count(*) FROM routing GROUP BY expert ORDER BY 2 DESC;",
            "1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89",
            "Once upon a time, a router fell in love with a single expert.");

    /** The demo's producer's client id: the probe's is the real probe's, and one JVM must not build two of one id. */
    static final Map<String, String> PRODUCER = Map.of(ProducerConfig.CLIENT_ID_CONFIG, "moescope-demo");

    private final Path modelDir;
    private final int maxNewTokens;
    private final String bootstrapServers;
    private final ProducerCompression compression;
    private final TaskExecutor executor;
    private final Clock clock;
    private final DemoOnce once;

    DemoWorkload(@Value("${moescope.data-dir:.moescope}") Path dataDir,
                 @Value("${moescope.demo.max-new-tokens:48}") int maxNewTokens,
                 @Value("${moescope.demo.every-start:false}") boolean everyStart,
                 KafkaProperties kafka, ProducerCompression compression, TaskExecutor executor, Clock clock) {
        this.modelDir = dataDir.toAbsolutePath().resolve("models").resolve("demo");
        this.once = DemoOnce.in(modelDir, everyStart);
        this.maxNewTokens = maxNewTokens;
        this.bootstrapServers = String.join(",", kafka.getBootstrapServers());
        this.compression = compression;
        this.executor = executor;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        executor.execute(this::run);
    }

    private void run() {
        try {
            var earlier = once.earlierRun();
            if (earlier.isPresent()) {
                log.info("The demo run {} was sent on an earlier start from this data dir; not sending another"
                        + " (moescope.demo.every-start=true would)", earlier.get());
                return;
            }
            ensureDemoModel();
            var prompts = new ArrayList<Prompt>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                prompts.add(new Prompt("req-" + (i + 1), PROMPTS.get(i)));
            }
            var request = new ProbeRequest(modelDir, prompts, maxNewTokens, "demo");
            ProbeResult result;
            try (var sink = new KafkaRoutingSink(bootstrapServers, compression, PRODUCER,
                    DeliveryOptions.defaults())) {
                result = new ProbeRunner(clock).run(request, sink, new LoggingProgress(prompts.size()));
            }
            once.remember(result.runId());
            log.info("Demo run {} sent: {} tokens, {} router decisions", result.runId(),
                    result.promptTokens() + result.generatedTokens(), result.decisions());
        } catch (RuntimeException | IOException e) {
            log.error("The demo workload failed: {}", e.getMessage(), e);
        }
    }

    private void ensureDemoModel() throws IOException {
        if (Files.exists(modelDir.resolve("config.json"))) {
            return;
        }
        log.info("Writing the demo checkpoint (seeded random weights, not a trained model) to {}", modelDir);
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(modelDir,
                (done, total) -> log.debug("demo checkpoint: {}/{} tensors", done, total));
    }

    /** Logs the demo's progress a request at a time. */
    private static final class LoggingProgress implements ProbeListener {

        private final int requests;
        private int finished;

        LoggingProgress(int requests) {
            this.requests = requests;
        }

        @Override
        public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
            finished++;
            log.info("Demo workload: request {}/{} done ({} prompt + {} generated tokens)", finished, requests,
                    promptTokens, generatedTokens);
        }
    }
}
