package io.moescope.cli;

import io.moescope.platform.imports.ImportSummary;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.RunDelivery;
import io.moescope.traces.delivery.RunOutcome;
import io.moescope.traces.importer.FormatDetector;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportProgress;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceFormat;
import io.moescope.traces.importer.TraceImport;
import io.moescope.traces.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import routing traces recorded by vLLM, SGLang or HF transformers (or exported by moescope) "
            + "as runs, through Kafka like probe data.",
            "Formats: vllm-hook, route-log, routed-experts, hf-logits, csv, moescope-jsonl, megatron-router-trace, "
                + "trtllm-expert-statistic (a directory), llama-moe-trace (the last two count choices without "
                + "tokens: aggregate-only runs); detected when --format is not given. One run per file.",
            "A file's summary is printed once Kafka acknowledged all its records. When Kafka does not (away for "
                + "longer than --delivery-timeout), the import stops with exit status 2, says how many tokens were "
                + "delivered and marks the partial run FAILED."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every file was imported and delivered, and no row was rejected",
            "1:every file was imported and delivered, but some rows were rejected (each summary lists them; the other "
                + "rows are stored); or a bug, with its stack trace",
            "2:a usage error; a file missing, empty or of no format moescope reads; Kafka unreachable at the start; "
                + "a file refused whole, or not acknowledged within --delivery-timeout (the files after it are not "
                + "imported)"})
final class ImportCommand implements Callable<Integer>, OptionBounds.Bounded {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Trace files, or directories of TensorRT-LLM "
            + "expert statistics (meta_info.json and rank{r}.safetensors).")
    private List<Path> files;

    @Option(names = "--format", paramLabel = "F", description = "Format of the files (default: detected).")
    private String format;

    @Option(names = "--run", paramLabel = "NAME",
            description = "Run name (default: the export's run name, else the file name; FILE is appended when "
                    + "several files are given).")
    private String runName;

    @Mixin
    private PlatformKafkaOption kafka;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--delivery-timeout", defaultValue = "PT2M", paramLabel = "DURATION",
            description = "How long Kafka may take to acknowledge a file's last record before the import fails "
                    + "(ISO-8601, default: ${DEFAULT-VALUE}).")
    private Duration deliveryTimeout;

    @Option(names = "--model-id", paramLabel = "ID", description = "Model id, e.g. mistralai/Mixtral-8x7B-v0.1.")
    private String modelId;

    @Option(names = "--num-experts", paramLabel = "N", description = "Routed experts per layer; ids >= N are "
            + "treated as not routed (default: the trace's metadata, a known model, else the largest id + 1).")
    private Integer numExperts;

    @Option(names = "--top-k", paramLabel = "K", description = "Experts per token (default: from the trace).")
    private Integer topK;

    @Option(names = "--model-config", paramLabel = "FILE",
            description = "The model's config.json: N, k, the hidden layers and which of them have a router, and "
                    + "the parameter counts the summary prints. hf-logits: the model's router rule (softmax top-k, "
                    + "gpt-oss, DeepSeek/GLM4-MoE). routed-experts: vLLM and SGLang return every hidden layer, dense "
                    + "ones as rows of zeros; they are dropped by this file (without it, a response with zero rows is "
                    + "refused).")
    private Path modelConfig;

    @Option(names = "--normalise-top-k", paramLabel = "true|false",
            description = "hf-logits: renormalise the top-k weights to sum 1 (default: from the model).")
    private Boolean normaliseTopK;

    @Option(names = "--include-warmup", description = "Also import warm-up artefacts (long runs of identical "
            + "decisions anywhere in a file), marked: their request id becomes warmup/<request>.")
    private boolean includeWarmup;

    @Option(names = "--warmup-min-decisions", defaultValue = "1000", paramLabel = "N",
            description = "Identical consecutive decisions (tokens x layers) that count as a warm-up block "
                    + "(default: ${DEFAULT-VALUE}).")
    private int warmupMinDecisions;

    @Option(names = "--max-line-chars", paramLabel = "CHARS",
            description = "Longer lines are rejected by file and line without being read whole (default: 33554432,"
                    + " 32 Mi characters; parsing a line takes about 50 times its size in heap).")
    private int maxLineChars = ImportOptions.DEFAULT_MAX_LINE_CHARS;

    @Spec
    private CommandSpec spec;

    @Override
    public void checkBounds() {
        OptionBounds.experts("--num-experts", numExperts);
        OptionBounds.between("--top-k", topK, 1, numExperts == null ? OptionBounds.MAX_EXPERTS : numExperts);
        OptionBounds.between("--warmup-min-decisions", warmupMinDecisions, 1, OptionBounds.MAX_DECISIONS);
        // ImportOptions' own rule: the importer library refuses the same lengths
        OptionBounds.byRule("--max-line-chars", "--max-line-chars",
                () -> ImportOptions.defaults().withMaxLineChars(maxLineChars));
        OptionBounds.between("--delivery-timeout", deliveryTimeout, Duration.ofSeconds(1), OptionBounds.MAX_WAIT);
        OptionBounds.readableFile("--model-config", modelConfig);
    }

    @Override
    public Integer call() throws Exception {
        var options = ImportOptions.defaults()
                .withFormat(format == null ? null : TraceFormat.of(format))
                .withHints(new ModelHints(null, null, modelId, numExperts, topK, normaliseTopK,
                        modelConfig == null ? null : ModelConfig.read(modelConfig)))
                .withWarmup(includeWarmup, warmupMinDecisions)
                .withMaxLineChars(maxLineChars);
        var detector = new FormatDetector(FormatDetector.all());
        for (Path file : files) {
            detector.choose(file, options.format()); // a file of the wrong format is refused before anything is sent
        }
        try (var quiet = CliLogging.kafkaWarningsOnly()) {
            KafkaRoutingSink.requireReachable(kafka.bootstrapServers(), Duration.ofSeconds(10));
        }
        var importer = new TraceImport(Clock.systemUTC());
        var delivery = new RunDelivery(kafka.bootstrapServers(), compression.choose(kafka.embeddedBroker()),
                DeliveryOptions.defaults().withCloseTimeout(deliveryTimeout), Clock.systemUTC(), RunDelivery.IMPORT);
        PrintWriter out = spec.commandLine().getOut();
        boolean rejected = false;
        try (var quiet = CliLogging.kafkaWarningsOnly()) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String name = runName == null ? null : files.size() == 1 ? runName : runName + "/" + file.getFileName();
                RunOutcome<ImportReport> outcome;
                try (ProgressBar bar = bar(new ProgressBarBuilder().setTaskName(file.getFileName().toString()))) {
                    outcome = delivery.deliver(sink -> importer.importFile(file, options.withRunName(name), sink,
                            new BarProgress(bar)));
                }
                if (outcome instanceof RunOutcome.Undelivered<ImportReport> undelivered) {
                    reportUndelivered(file, undelivered, files.subList(i + 1, files.size()));
                    return ErrorMessageHandler.USER_ERROR;
                }
                ImportReport report = ((RunOutcome.Delivered<ImportReport>) outcome).result();
                ImportSummary.print(report, out);
                rejected |= report.rowsRejected() > 0;
            }
        }
        return rejected ? 1 : 0;
    }

    /** The files after a failed delivery are left alone: Kafka is most likely still away. */
    private void reportUndelivered(Path file, RunOutcome.Undelivered<ImportReport> undelivered, List<Path> left) {
        PrintWriter err = spec.commandLine().getErr();
        List<String> lines = ImportSummary.undelivered(file, undelivered);
        err.println("moescope: " + lines.get(0));
        lines.subList(1, lines.size()).forEach(err::println);
        if (!left.isEmpty()) {
            err.println("moescope: not imported: " + String.join(", ", left.stream().map(Path::toString).toList()));
        }
        err.flush();
    }

    /** A file's bar: rows sent and their speed. */
    static ProgressBar bar(ProgressBarBuilder builder) {
        return builder.setUnit(" rows", 1).showSpeed().continuousUpdate().build();
    }

    /**
     * The bar counts the rows sent; while the first pass scans the file, its message says how far it got. The
     * message starts with a space: the bar writes it straight after the speed ("20.0 rows/spass 2/2" without).
     */
    record BarProgress(ProgressBar bar) implements ImportProgress {

        @Override
        public void rowsScanned(long rows) {
            bar.setExtraMessage(" pass 1/2, scanning: " + rows + " rows");
        }

        @Override
        public void rowsImported(long rows) {
            bar.setExtraMessage(" pass 2/2, sending");
            bar.stepTo(rows);
        }
    }
}
