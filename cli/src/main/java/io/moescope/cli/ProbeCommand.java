package io.moescope.cli;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.model.EngineThreads;
import io.moescope.probe.model.IntraOpThreads;
import io.moescope.probe.model.Offloading;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import io.moescope.probe.run.PromptFile;
import io.moescope.probe.run.Sampling;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Run prompts through an MoE checkpoint (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE, gpt-oss, "
                + "DeepSeek-V2, DeepSeek-V3) and stream every router decision to Kafka. If the broker goes away "
                + "mid-run, generation goes on and events wait in a local spool file until it returns; none is lost "
                + "or sent twice."})
final class ProbeCommand implements Callable<Integer>, OptionBounds.Bounded {

    // --model and --prompts are declared per command, not as mixins: see ModelInputs.
    @Option(names = "--model", required = true, paramLabel = "DIR", description = ModelInputs.CHECKPOINT + ".")
    private Path model;

    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = ModelInputs.PROMPT_FILE + ".")
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

    @Mixin
    private PlatformKafkaOption kafka;

    @Option(names = "--expert-cache", defaultValue = "0", paramLabel = "C",
            description = {"Expert offloading: keep at most C routed experts per MoE layer in memory; the others stay "
                    + "in the memory-mapped checkpoint and are loaded on first use. Hits, misses, bytes read and load "
                    + "times go to topic moescope.expert-cache. 0 (default) keeps every expert resident."})
    private int expertCache;

    @Option(names = "--cache-policy", defaultValue = "LRU", paramLabel = "POLICY",
            completionCandidates = LiveCachePolicies.class,
            description = "Which expert to evict with --expert-cache: ${COMPLETION-CANDIDATES} (default: "
                    + "${DEFAULT-VALUE}).")
    private CachePolicy cachePolicy;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch intra-op threads (default: every processor but one, and at most one per 50M "
                    + "parameters a token activates, at least 1: small models run fastest on one thread).")
    private Integer threads;

    @Mixin
    private SpoolOption spool;

    @Override
    public void checkBounds() {
        OptionBounds.between("--max-new-tokens", maxNewTokens, 0, OptionBounds.MAX_NEW_TOKENS);
        // Sampling's own rules, so the probe library and the command refuse the same values
        OptionBounds.byRule("--temperature", "temperature", () -> new Sampling(temperature, 1, seed));
        OptionBounds.byRule("--top-p", "top-p", () -> new Sampling(0, topP, seed));
        OptionBounds.between("--expert-cache", expertCache, 0, OptionBounds.MAX_EXPERTS);
        OptionBounds.threads("--threads", threads);
    }

    @Override
    public Integer call() {
        Offloading.requireLive(cachePolicy);
        ProducerCompression codec = compression.choose(kafka.embeddedBroker());
        List<Prompt> requests = PromptFile.read(prompts);
        String name = runName != null ? runName : model.toAbsolutePath().getFileName().toString();
        int intraOp;
        try (var checkpoint = MoeCheckpoint.open(model)) {
            // a broken checkpoint is reported before anything else is touched
            intraOp = threads != null ? threads : IntraOpThreads.choose(Runtime.getRuntime().availableProcessors(),
                    checkpoint.identity().activeParameters());
            System.out.printf("model %s (%s): %s%n", checkpoint.identity().name(),
                    checkpoint.identity().architecture(), checkpoint.parameters().describe());
            checkpoint.skipped().ifPresent(note -> System.out.printf("checkpoint: %s%n", note));
        }
        KafkaRoutingSink.requireReachable(kafka.bootstrapServers(), Duration.ofSeconds(10));
        DeliveryOptions delivery = spool.delivery();
        var request = new ProbeRequest(model, requests, maxNewTokens, name, expertCache, cachePolicy,
                new Sampling(temperature, topP, seed));
        System.out.printf("intra-op threads: %d%s%n", EngineThreads.setIntraOp(intraOp),
                threads != null ? "" : " (chosen from the processors and the model; --threads to set)");
        runWithProgress(request, new KafkaRoutingSink(kafka.bootstrapServers(), codec, Map.of(), delivery));
        return 0;
    }

    /**
     * Runs the request into the sink (closing it) with a progress bar of requests done, then prints the run's
     * totals and step timings to standard output.
     */
    static ProbeResult runWithProgress(ProbeRequest request, KafkaRoutingSink kafka) {
        ProbeResult result;
        ProbeProgress progress;
        try (var sink = kafka;
             var bar = new ProgressBarBuilder().setTaskName("probe").setInitialMax(request.prompts().size())
                     .setUnit(" requests", 1).continuousUpdate().build()) {
            progress = new ProbeProgress(bar, sink::stats);
            result = new ProbeRunner(Clock.systemUTC()).run(request, sink, progress);
        }
        System.out.printf("run %s (%s): %d prompt + %d generated tokens, %d router decisions in %.1f s%n",
                result.runId(), request.runName(), result.promptTokens(), result.generatedTokens(),
                result.decisions(), result.elapsed().toMillis() / 1000.0);
        System.out.println(progress.timings());
        return result;
    }
}
