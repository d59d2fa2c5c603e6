package io.moescope.platform.api;

import io.moescope.platform.warmup.MeasuredWarmup;
import io.moescope.platform.warmup.MeasuredWarmupService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A run's measured expert-cache warm-up (probe offloading) beside the simulation for the same cache size. */
@RestController
class WarmupController {

    private final MeasuredWarmupService warmup;

    WarmupController(MeasuredWarmupService warmup) {
        this.warmup = warmup;
    }

    @GetMapping("/api/runs/{runId}/warmup")
    MeasuredWarmup warmup(@PathVariable String runId) {
        return warmup.warmup(runId).orElseThrow(() -> RunsController.unknownRun(runId));
    }
}
