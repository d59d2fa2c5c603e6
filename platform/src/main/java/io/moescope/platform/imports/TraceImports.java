package io.moescope.platform.imports;

import io.moescope.events.validation.StorableTokens;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportProgress;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.ModelHints;
import io.moescope.traces.importer.TraceFormat;
import io.moescope.traces.importer.TraceImport;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.delivery.RunDelivery;
import io.moescope.traces.delivery.RunOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

/**
 * Imports uploaded trace files through Kafka like {@code moescope import}, one background task per file, and keeps
 * each import's progress and summary for the Import view to poll.
 */
@Service
public class TraceImports {

    private static final Logger log = LoggerFactory.getLogger(TraceImports.class);

    /** The most experts a token can choose: as many as a stored row's expert ids can name. */
    public static final int MAX_TOP_K = StorableTokens.MAX_EXPERTS;

    private final TaskExecutor executor;
    private final Clock clock;
    private final RunDelivery delivery;
    private final Map<String, Running> imports = new ConcurrentHashMap<>();

    TraceImports(TaskExecutor executor, Clock clock, KafkaProperties kafka, ProducerCompression compression) {
        this.executor = executor;
        this.clock = clock;
        this.delivery = new RunDelivery(String.join(",", kafka.getBootstrapServers()), compression,
                DeliveryOptions.defaults(), clock, RunDelivery.IMPORT);
    }

    /**
     * Starts importing an uploaded file; takes the file over and deletes it when done.
     *
     * @param fileName the name the user's file had: the run's default name, and what the summary shows
     * @param format   the file's format, or empty to detect it
     * @param runName  the run's name, or empty for the importer's default (an export's run name, else the file name)
     * @param model    what the user says of the model where the trace does not (a known model id, top-k), as
     *                 {@code moescope import --model-id --top-k}; {@link ModelHints#NONE} for nothing
     */
    public ImportStatus start(Path upload, String fileName, Optional<TraceFormat> format, Optional<String> runName,
                              ModelHints model) {
        Path file = underOriginalName(upload, fileName);
        var running = new Running(UUID.randomUUID().toString(), fileName);
        imports.put(running.importId, running);
        if (model.topK() != null && (model.topK() < 1 || model.topK() > MAX_TOP_K)) {
            running.error.set("top-k " + model.topK() + " is outside 1.." + MAX_TOP_K);
            running.ended("FAILED");
            deleteQuietly(file);
            return running.status();
        }
        ImportOptions options = ImportOptions.defaults().withFormat(format.orElse(null))
                .withRunName(runName.filter(n -> !n.isBlank()).orElse(null)).withHints(model);
        executor.execute(() -> run(running, file, options));
        return running.status();
    }

    public Optional<ImportStatus> status(String importId) {
        return Optional.ofNullable(imports.get(importId)).map(Running::status);
    }

    private void run(Running running, Path file, ImportOptions options) {
        try {
            RunOutcome<ImportReport> outcome = delivery.deliver(sink ->
                    new TraceImport(clock).importFile(file, options, sink, running));
            if (outcome instanceof RunOutcome.Delivered<ImportReport> delivered) {
                running.summary.set(asUploaded(ImportSummary.lines(delivered.result()), file, running));
                running.ended("FINISHED");
            } else if (outcome instanceof RunOutcome.Undelivered<ImportReport> undelivered) {
                log.warn("Import of {} failed: {}", running.fileName, undelivered.message());
                running.summary.set(asUploaded(ImportSummary.undelivered(file, undelivered), file, running));
                running.error.set(undelivered.message());
                running.ended("FAILED");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Import of {} failed: {}", running.fileName, e.getMessage());
            running.error.set(e.getMessage());
            running.ended("FAILED");
        } finally {
            deleteQuietly(file);
        }
    }

    /** The user knows the file by its name, not by the temporary folder it was uploaded to. */
    private static List<String> asUploaded(List<String> lines, Path file, Running running) {
        return lines.stream().map(line -> line.replace(file.toString(), running.fileName)).toList();
    }

    /** The importer names runs and reports after the file, so the upload gets its original name back. */
    private static Path underOriginalName(Path upload, String fileName) {
        String safe = Path.of(fileName).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Path dir = Files.createTempDirectory("moescope-upload");
            return Files.move(upload, dir.resolve(safe.isEmpty() ? "upload" : safe),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the uploaded file " + fileName + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            log.warn("could not delete the uploaded file {}: {}", file, e.getMessage());
        }
    }

    /** An import's mutable progress, shared between its task and the view. */
    private static final class Running implements ImportProgress {
        final String importId;
        final String fileName;
        final AtomicReference<String> state = new AtomicReference<>("SCANNING");
        final AtomicLong rows = new AtomicLong();
        final AtomicReference<List<String>> summary = new AtomicReference<>(List.of());
        final AtomicReference<String> error = new AtomicReference<>();
        final long startNanos = System.nanoTime();
        volatile long passStartNanos = startNanos;
        volatile long endNanos;

        Running(String importId, String fileName) {
            this.importId = importId;
            this.fileName = fileName;
        }

        @Override
        public void rowsScanned(long scanned) {
            rows.set(scanned);
        }

        @Override
        public void rowsImported(long imported) {
            if (state.compareAndSet("SCANNING", "SENDING")) {
                passStartNanos = System.nanoTime();
            }
            rows.set(imported);
        }

        void ended(String finalState) {
            endNanos = System.nanoTime();
            state.set(finalState);
        }

        ImportStatus status() {
            String now = state.get();
            long since = now.equals("SENDING") ? passStartNanos : startNanos;
            long until = endNanos != 0 ? endNanos : System.nanoTime();
            double seconds = Math.max(1e-9, (until - since) / 1e9);
            return new ImportStatus(importId, fileName, now, rows.get(), rows.get() / seconds, summary.get(),
                    error.get());
        }
    }
}
