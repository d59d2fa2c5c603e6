package io.moescope.platform.api;

import io.moescope.analytics.suite.RunComparison;
import io.moescope.platform.metrics.RunComparisonService;
import io.moescope.platform.runs.RunCatalog;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Two runs side by side: drift of the loads per layer and, over the same prompts, router saturation. */
@RestController
@RequestMapping("/api/compare")
class CompareController {

    private final RunComparisonService comparisons;
    private final RunCatalog runs;

    CompareController(RunComparisonService comparisons, RunCatalog runs) {
        this.comparisons = comparisons;
        this.runs = runs;
    }

    @GetMapping
    RunComparison compare(@RequestParam String a, @RequestParam String b, @RequestParam Optional<String> phase) {
        return comparisons.compare(a, b, phase.map(RunsController::parsePhase))
                .orElseThrow(() -> RunsController.unknownRun(unknown(a, b)));
    }

    /** The run the catalog lacks, so that the answer names it alone; both where it has both but not their data. */
    private String unknown(String a, String b) {
        if (runs.find(a).isEmpty()) {
            return a;
        }
        return runs.find(b).isEmpty() ? b : a + "' or '" + b;
    }
}
