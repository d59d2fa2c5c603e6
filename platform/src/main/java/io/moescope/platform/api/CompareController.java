package io.moescope.platform.api;

import io.moescope.analytics.suite.RunComparison;
import io.moescope.platform.metrics.RunComparisonService;
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

    CompareController(RunComparisonService comparisons) {
        this.comparisons = comparisons;
    }

    @GetMapping
    RunComparison compare(@RequestParam String a, @RequestParam String b, @RequestParam Optional<String> phase) {
        return comparisons.compare(a, b, phase.map(RunsController::parsePhase))
                .orElseThrow(() -> RunsController.unknownRun(a + "' or '" + b));
    }
}
