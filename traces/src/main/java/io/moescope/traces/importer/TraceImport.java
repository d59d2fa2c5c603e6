package io.moescope.traces.importer;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RoutingSink;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Imports one trace file as one run into a {@link RoutingSink} (Kafka, like probe data). Two streaming passes: the
 * first learns the model's shape (layers, N, k), whether the requests can be told apart and whether the rows'
 * phases can (a reader may learn that only at the end of the file), so that the run's identity and every token's
 * phase are known before its first token is sent; the second sends tokens: rows -> ingest's model-free rules
 * ({@link RowRules}, both passes) -> ids >= N dropped -> layers and k checked against the model ->
 * {@link TokenAssembler} -> {@link WarmupFilter} -> sink. A row that fails is rejected by its line, so that the
 * report counts what ingest stores.
 * Warm-up tokens are left out unless {@link ImportOptions#includeWarmup()}; then they are sent under request id
 * {@code warmup/<request>} so that they stay recognisable (and separable) in every view.
 */
public final class TraceImport {

    public static final String WARMUP_REQUEST_PREFIX = "warmup/";

    private final Clock clock;
    private final FormatDetector detector;

    public TraceImport(Clock clock) {
        this(clock, new FormatDetector(FormatDetector.all()));
    }

    public TraceImport(Clock clock, FormatDetector detector) {
        this.clock = clock;
        this.detector = detector;
    }

    /**
     * @param progress told how many data lines each pass has read
     * @throws IllegalArgumentException when the file is not in the expected format or holds no valid row
     */
    public ImportReport importFile(Path file, ImportOptions options, RoutingSink sink, ImportProgress progress)
            throws IOException {
        return importFrom(TraceSource.of(file, options.maxLineChars()), options, sink, progress);
    }

    /** {@link #importFile} for any source: it is read three times (detection, shape scan, sending pass). */
    public ImportReport importFrom(TraceSource trace, ImportOptions options, RoutingSink sink,
                                   ImportProgress progress) throws IOException {
        Path file = trace.name();
        TraceImporter importer = detector.choose(trace, options.format());
        var report = new ImportReport(file);
        var scan = new ShapeScan(progress);
        read(importer, trace, options, scan, UnaryOperator.identity());
        progress.rowsScanned(scan.lines());
        ModelIdentity model = ModelResolver.resolve(options.hints(), scan, file.getFileName().toString(),
                report::note);
        String name = options.runName() != null ? options.runName()
                : scan.hints().runName() != null ? scan.hints().runName() : file.getFileName().toString();
        String runId = UUID.randomUUID().toString();
        String source = "import:" + importer.format().id();
        report.started(importer.format(), runId, name);
        ModelConfig config = options.hints().modelConfig();
        report.model(model, config == null ? null : ParameterCounts.known(config).orElse(null));
        report.warmupIncluded(options.includeWarmup());
        // Known from the first pass, so that every lifecycle event of the run carries it.
        String notSeparable = scan.requestsNotSeparable();
        report.requestsNotSeparable(notSeparable);
        sink.runStarted(new RunLifecycle(runId, name, RunStatus.STARTED, micros(clock.instant()), source, model, 0,
                notSeparable));
        // An export header means moescope wrote the file: warm-up was decided when it was first imported.
        boolean detectWarmup = scan.hints().identity() == null;
        var second = new SecondPass(runId, model, options, detectWarmup, scan.phasesUnknown(), sink, report,
                progress);
        try {
            read(importer, trace, options, second, second::routedOnly);
            second.finish();
        } catch (IOException | RuntimeException e) {
            sink.runFinished(new RunLifecycle(runId, name, RunStatus.FAILED, micros(clock.instant()), source, model,
                    report.tokensImported(), notSeparable));
            throw e;
        }
        sink.runFinished(new RunLifecycle(runId, name, RunStatus.FINISHED, micros(clock.instant()), source, model,
                report.tokensImported(), notSeparable));
        return report;
    }

    /** Every row passes ingest's model-free rules and {@code model}'s ({@link RowRules}) before a pass sees it. */
    private static void read(TraceImporter importer, TraceSource trace, ImportOptions options, TraceVisitor pass,
                             UnaryOperator<LayerRow> model) throws IOException {
        var checked = new RowRules(pass, model);
        importer.read(trace, options.hints(), checked);
        checked.finish();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The sending pass. */
    private final class SecondPass implements TraceVisitor {

        private final String runId;
        private final int numExperts;
        private final int topK;
        private final Set<Integer> moeLayers;
        private final boolean phasesUnknown;
        private final ImportOptions options;
        private final RoutingSink sink;
        private final ImportReport report;
        private final ImportProgress progress;
        private final TokenAssembler assembler;
        private final WarmupFilter warmup;
        private final CountSteps steps;

        /**
         * @param phasesUnknown the scan was told that no row's phase can be told: the rows' phases were assumed by
         *                      the reader before it had read the whole file, so every token is sent as unknown
         */
        SecondPass(String runId, ModelIdentity model, ImportOptions options, boolean detectWarmup,
                   boolean phasesUnknown, RoutingSink sink, ImportReport report, ImportProgress progress) {
            this.runId = runId;
            this.numExperts = model.numExperts();
            this.topK = model.topK();
            this.moeLayers = Set.copyOf(model.moeLayers());
            this.phasesUnknown = phasesUnknown;
            this.options = options;
            this.sink = sink;
            this.report = report;
            this.progress = progress;
            this.warmup = detectWarmup ? new WarmupFilter(options.warmupMinDecisions(), this::send, report::warmupBlock)
                    : WarmupFilter.disabled(this::send);
            this.assembler = new TokenAssembler(model.moeLayers().size(), options.maxPendingTokens(), report,
                    warmup::accept);
            this.steps = new CountSteps(runId, model, () -> micros(clock.instant()), new CountSteps.Outlet() {
                @Override
                public void send(ExpertCounts step) {
                    sink.expertCounts(step);
                    report.importedStep(step.tokens(), step.decisions());
                }

                @Override
                public void reject(long line, String reason) {
                    report.reject(line, reason);
                }
            });
        }

        @Override
        public void model(ModelHints hints) {
        }

        @Override
        public void lineRead(long line) {
            report.rowRead();
            if (report.rowsRead() % 1024 == 0) {
                progress.rowsImported(report.rowsRead());
            }
        }

        @Override
        public void row(long line, LayerRow row) {
            try {
                assembler.add(line, row);
            } catch (IllegalArgumentException e) {
                reject(line, e.getMessage());
            }
        }

        @Override
        public void counts(long line, long step, int layer, long[] counts) {
            steps.add(line, step, layer, counts);
        }

        @Override
        public void reject(long line, String reason) {
            report.reject(line, reason);
        }

        @Override
        public void note(String what) {
            report.note(what);
        }

        void finish() {
            assembler.finish();
            warmup.finish();
            steps.finish();
            steps.beyondDecoderNote().ifPresent(report::note);
            progress.rowsImported(report.rowsRead());
        }

        /**
         * Drops ids >= N (not routed, e.g. a shared-expert slot); the rest must be exactly k ids, at a layer with a
         * router. Applied by {@link RowRules} to a line's rows before any is added.
         */
        LayerRow routedOnly(LayerRow row) {
            RouterDecision d = row.decision();
            int routed = 0;
            for (int id : d.expertIds()) {
                routed += id < numExperts ? 1 : 0;
            }
            if (routed < d.expertIds().length) {
                report.notRouted(d.expertIds().length - routed);
                int[] ids = new int[routed];
                float[] weights = new float[routed];
                for (int i = 0, j = 0; i < d.expertIds().length; i++) {
                    if (d.expertIds()[i] < numExperts) {
                        ids[j] = d.expertIds()[i];
                        weights[j++] = d.weights()[i];
                    }
                }
                if (routed == 0) {
                    throw new IllegalArgumentException("layer " + d.layer() + ": every expert id is >= N="
                            + numExperts + " (not routed)");
                }
                d = new RouterDecision(d.layer(), ids, weights, d.routerEntropy());
                row = new LayerRow(row.requestId(), row.tokenIndex(), row.tokenId(), row.phase(),
                        row.timestampMicros(), d);
            }
            if (!moeLayers.isEmpty() && !moeLayers.contains(d.layer())) {
                throw new IllegalArgumentException("layer " + d.layer() + " has no router in the model (MoE layers "
                        + new TreeSet<>(moeLayers) + ")");
            }
            if (d.topK() != topK) {
                throw new IllegalArgumentException("layer " + d.layer() + ": " + d.topK() + " expert ids but the "
                        + "model routes to top-" + topK);
            }
            return row;
        }

        private void send(TokenAssembler.Assembled token, boolean isWarmup) {
            if (isWarmup) {
                report.warmup(token.decisions().size());
                if (!options.includeWarmup()) {
                    return;
                }
            }
            LayerRow first = token.first();
            long time = first.timestampMicros() != LayerRow.UNKNOWN_TIME ? first.timestampMicros()
                    : micros(clock.instant());
            String request = isWarmup ? WARMUP_REQUEST_PREFIX + first.requestId() : first.requestId();
            Phase phase = phasesUnknown ? Phase.UNKNOWN : first.phase();
            sink.token(new TokenRouting(runId, request, first.tokenIndex(), first.tokenId(), phase, time,
                    token.decisions()));
            report.imported(token.decisions().size());
        }
    }
}
