package io.moescope.platform.api;

import io.moescope.platform.export.RunExporter;
import io.moescope.platform.tokens.AggregateOnlyRunException;
import io.moescope.platform.tokens.StoredTokens;
import io.moescope.traces.export.ExportFormat;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A stored run in moescope's export format, streamed in constant memory.
 *
 * <p>Written on the request thread, not as a {@code StreamingResponseBody}: that runs as async request processing,
 * and Spring MVC ends async requests after {@code spring.mvc.async.request-timeout} (the container's 30 s by
 * default), which cut large exports off mid-way behind an HTTP 200. An export's length is set by the run's size and
 * the client's reading speed, so no deadline suits it; a client that stops reading is still dropped by the
 * container's socket write timeout, which bounds each write, not the whole export. Other async requests keep the
 * configured timeout.
 */
@RestController
@RequestMapping("/api/runs")
class RunExportController {

    private final StoredTokens stored;
    private final RunExporter exporter;

    RunExportController(StoredTokens stored, RunExporter exporter) {
        this.stored = stored;
        this.exporter = exporter;
    }

    /** The run as jsonl or csv: a header describing the model and the token count, a line per token, an end line. */
    @GetMapping("/{runId}/export")
    void export(@PathVariable String runId, @RequestParam(defaultValue = "jsonl") String format,
                HttpServletResponse response) throws IOException {
        ExportFormat f;
        try {
            f = ExportFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        StoredTokens.StoredRun run = stored.find(runId).orElseThrow(() -> RunsController.unknownRun(runId));
        try {
            stored.requireTokens(runId, "an export");
        } catch (AggregateOnlyRunException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        response.setContentType(f.contentType() + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + runId + "." + f.id() + "\"");
        exporter.export(run, f, new BufferedWriter(new OutputStreamWriter(response.getOutputStream(),
                StandardCharsets.UTF_8), 1 << 16));
    }
}
