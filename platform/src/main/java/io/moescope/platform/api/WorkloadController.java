package io.moescope.platform.api;

import io.moescope.events.RunWorkload;
import io.moescope.platform.workload.NoRecordedWorkloadException;
import io.moescope.platform.workload.RecordedWorkloads;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A probe run's recorded workload: its prompts, generation parameters and arrival times. */
@RestController
class WorkloadController {

    private final RecordedWorkloads workloads;

    WorkloadController(RecordedWorkloads workloads) {
        this.workloads = workloads;
    }

    /** 404 with the reason when the run is unknown or recorded no workload (imported and replayed runs). */
    @GetMapping("/api/runs/{runId}/workload")
    ResponseEntity<?> workload(@PathVariable String runId) {
        return workloads.find(runId).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound("no run with id '" + runId + "'"));
    }

    @ExceptionHandler(NoRecordedWorkloadException.class)
    ResponseEntity<ProblemDetail> noWorkload(NoRecordedWorkloadException e) {
        return notFound(e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> notFound(String detail) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail));
    }
}
