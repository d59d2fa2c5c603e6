package io.moescope.api;

import io.moescope.app.export.RunExporter;
import io.moescope.app.tokens.StoredTokens;
import io.moescope.app.metrics.RunMetrics;
import io.moescope.app.metrics.RunMetricsService;
import io.moescope.app.runs.RunCatalog;
import io.moescope.app.runs.RunSummary;
import io.moescope.events.Phase;
import io.moescope.probe.export.ExportFormat;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** JSON API over runs and their routing metrics. */
@RestController
@RequestMapping("/api/runs")
class RunsController {

    private static final int MAX_PAGE_SIZE = 1000;

    private final RunCatalog runs;
    private final RunMetricsService metrics;
    private final StoredTokens stored;
    private final RunExporter exporter;

    RunsController(RunCatalog runs, RunMetricsService metrics, StoredTokens stored, RunExporter exporter) {
        this.runs = runs;
        this.metrics = metrics;
        this.stored = stored;
        this.exporter = exporter;
    }

    /** Runs, newest first. */
    @GetMapping
    List<RunSummary> runs(@RequestParam(defaultValue = "0") int page,
                          @RequestParam(defaultValue = "100") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "need page >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        return runs.page(PageRequest.of(page, size)).getContent();
    }

    @GetMapping("/{runId}")
    RunSummary run(@PathVariable String runId) {
        return runs.find(runId).orElseThrow(() -> unknownRun(runId));
    }

    /** Per MoE layer: counts per expert, shares, MaxVio and normalised entropy. */
    @GetMapping("/{runId}/metrics")
    RunMetrics metrics(@PathVariable String runId, @RequestParam Optional<String> phase) {
        return metrics.metrics(runId, phase.map(RunsController::parsePhase)).orElseThrow(() -> unknownRun(runId));
    }

    /** The run in moescope's export format (jsonl or csv), streamed: a header describing the model, then tokens. */
    @GetMapping("/{runId}/export")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String runId,
                                                 @RequestParam(defaultValue = "jsonl") String format) {
        ExportFormat f;
        try {
            f = ExportFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        StoredTokens.StoredRun run = stored.find(runId).orElseThrow(() -> unknownRun(runId));
        StreamingResponseBody body = out -> exporter.export(run, f,
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(f.contentType() + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + runId + "." + f.id() + "\"")
                .body(body);
    }

    private static Phase parsePhase(String phase) {
        try {
            return Phase.valueOf(phase.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "phase must be prefill or decode, not '" + phase + "'");
        }
    }

    private static ResponseStatusException unknownRun(String runId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no run with id '" + runId + "'");
    }
}
