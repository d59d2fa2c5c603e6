package io.moescope.cli;

import io.moescope.events.ModelIdentity;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.events.TokenRouting;
import io.moescope.probe.kafka.DeliveryOptions;
import io.moescope.probe.kafka.DeliveryStats;
import io.moescope.probe.kafka.KafkaRoutingSink;
import io.moescope.probe.model.CachePolicy;
import io.moescope.probe.run.PromptFile;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import io.moescope.probe.run.Sampling;
import io.moescope.events.Phase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Run prompts through an MoE checkpoint (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE) and stream every "
                + "router decision to Kafka. If the broker goes away mid-run, generation goes on and events wait in a "
                + "local spool file until it returns; none is lost or sent twice."})
final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "HF checkpoint directory: config.json, model.safetensors, tokenizer.json.")
    private Path model;

    @Option(names = "--prompts", required = true, paramLabel = "FILE",
            description = {"Plain text, one prompt per non-blank line; or JSON lines (a *.jsonl file), one object "
                    + "per line: {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}]} (rendered with the "
                    + "checkpoint's chat template family) or {\"prompt\": \"...\"}, optionally \"id\"."})
    private Path prompts;

    @Option(names = "--max-new-tokens", defaultValue = "32", paramLabel = "N",
            description = "Tokens to generate per prompt at most; generation also stops on the model's EOS "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "0 (default) decodes greedily; above 0 samples from softmax(logits / T).")
    private double temperature;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P",
            description = "With --temperature > 0: sample only from the smallest set of tokens whose probability "
                    + "reaches P (default: ${DEFAULT-VALUE}).")
    private double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the sampling; the same seed gives the same tokens (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--run", paramLabel = "NAME", description = "Run name (default: the model directory's name).")
    private String runName;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka to send to (default: ${DEFAULT-VALUE}, the embedded broker of 'moescope serve').")
    private String bootstrapServers;

    @Option(names = "--expert-cache", defaultValue = "0", paramLabel = "C",
            description = {"Expert offloading: keep at most C routed experts per MoE layer in memory; the others stay "
                    + "in the memory-mapped checkpoint and are loaded on first use. Hits, misses, bytes read and load "
                    + "times go to topic moescope.expert-cache. 0 (default) keeps every expert resident."})
    private int expertCache;

    @Option(names = "--cache-policy", defaultValue = "LRU", paramLabel = "POLICY",
            description = "Which expert to evict with --expert-cache: ${COMPLETION-CANDIDATES} (default: "
                    + "${DEFAULT-VALUE}).")
    private CachePolicy cachePolicy;

    @Option(names = "--compression", defaultValue = "lz4", paramLabel = "CODEC",
            description = "Kafka batch compression: lz4 or zstd (default: ${DEFAULT-VALUE}).")
    private String compression;

    @Option(names = "--spool", paramLabel = "FILE",
            description = "Where events wait while the broker is unreachable; sent when it returns, deleted when "
                    + "all were delivered (default: a new file in the temp folder).")
    private Path spool;

    @Override
    public Integer call() {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("--max-new-tokens must be >= 0 but was " + maxNewTokens);
        }
        if (temperature < 0 || topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("--temperature must be >= 0 and --top-p in (0, 1] but were "
                    + temperature + " and " + topP);
        }
        if (expertCache < 0) {
            throw new IllegalArgumentException("--expert-cache must be >= 0 but was " + expertCache);
        }
        if (!compression.equals("lz4") && !compression.equals("zstd")) {
            throw new IllegalArgumentException("--compression must be lz4 or zstd but was " + compression);
        }
        List<Prompt> requests = PromptFile.read(prompts);
        String name = runName != null ? runName : model.toAbsolutePath().getFileName().toString();
        try (var checkpoint = MoeCheckpoint.open(model)) {
            // a broken checkpoint is reported before anything else is touched
        }
        KafkaRoutingSink.requireReachable(bootstrapServers, Duration.ofSeconds(10));
        ProbeResult result;
        BarProgress progress;
        DeliveryOptions delivery = spool == null ? DeliveryOptions.defaults()
                : DeliveryOptions.defaults().withSpoolFile(spool);
        try (var sink = new KafkaRoutingSink(bootstrapServers,
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression), delivery);
             var bar = new ProgressBarBuilder().setTaskName("probe").setInitialMax(requests.size())
                     .setUnit(" requests", 1).continuousUpdate().build()) {
            progress = new BarProgress(bar, sink::stats);
            result = new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(model, requests, maxNewTokens, name,
                    expertCache, cachePolicy, new Sampling(temperature, topP, seed)), sink, progress);
        }
        System.out.printf("run %s (%s): %d prompt + %d generated tokens, %d router decisions in %.1f s%n",
                result.runId(), name, result.promptTokens(), result.generatedTokens(), result.decisions(),
                result.elapsed().toMillis() / 1000.0);
        System.out.println(progress.timings());
        return 0;
    }

    /** Requests done on the bar; tokens per second and events sent / spooled beside it. */
    private static final class BarProgress implements ProbeListener {

        private final ProgressBar bar;
        private final Supplier<DeliveryStats> delivery;
        private final long startNanos = System.nanoTime();
        private long tokens;
        private long prefillNanos;
        private final List<Long> decodeNanos = new ArrayList<>();

        BarProgress(ProgressBar bar, Supplier<DeliveryStats> delivery) {
            this.bar = bar;
            this.delivery = delivery;
        }

        @Override
        public void modelLoaded(ModelIdentity model) {
            bar.setExtraMessage(model.architecture() + " " + model.numExperts() + "x top-" + model.topK());
        }

        @Override
        public void tokenRouted(TokenRouting token) {
            tokens++;
            if (tokens % 16 == 0) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                DeliveryStats d = delivery.get();
                bar.setExtraMessage(String.format("%d tokens, %.0f tokens/s, events %d sent, %d spooled", tokens,
                        tokens / seconds, d.sent(), d.spooled()));
            }
        }

        @Override
        public void stepTimed(String requestId, Phase phase, int stepTokens, long nanos) {
            if (phase == Phase.PREFILL) {
                prefillNanos += nanos;
            } else {
                decodeNanos.add(nanos);
            }
        }

        /** Prefill time in total and the decode steps' median and slowest time. */
        String timings() {
            var sorted = decodeNanos.stream().sorted().toList();
            return sorted.isEmpty() ? String.format("prefill %.1f ms, no decode steps", prefillNanos / 1e6)
                    : String.format("prefill %.1f ms in total; %d decode steps: median %.2f ms, slowest %.2f ms",
                            prefillNanos / 1e6, sorted.size(), sorted.get(sorted.size() / 2) / 1e6,
                            sorted.get(sorted.size() - 1) / 1e6);
        }

        @Override
        public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
            bar.step();
        }
    }
}
