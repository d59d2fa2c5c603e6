package io.moescope.api;

import io.moescope.app.export.RunExporter;
import io.moescope.app.tokens.StoredTokens;
import io.moescope.probe.export.ExportFormat;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
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

/** A stored run in moescope's export format, streamed in constant memory. */
@RestController
@RequestMapping("/api/runs")
class RunExportController {

    private final StoredTokens stored;
    private final RunExporter exporter;

    RunExportController(StoredTokens stored, RunExporter exporter) {
        this.stored = stored;
        this.exporter = exporter;
    }

    /** The run as jsonl or csv: a header describing the model, then one line per token. */
    @GetMapping("/{runId}/export")
    ResponseEntity<StreamingResponseBody> export(@PathVariable String runId,
                                                 @RequestParam(defaultValue = "jsonl") String format) {
        ExportFormat f;
        try {
            f = ExportFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        StoredTokens.StoredRun run = stored.find(runId).orElseThrow(() -> RunsController.unknownRun(runId));
        StreamingResponseBody body = out -> exporter.export(run, f,
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(f.contentType() + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + runId + "." + f.id() + "\"")
                .body(body);
    }
}
