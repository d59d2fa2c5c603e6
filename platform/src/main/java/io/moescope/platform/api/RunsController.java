package io.moescope.platform.api;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.events.Phase;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.SuiteAnswer;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.platform.placement.PlacementAdvice;
import io.moescope.platform.placement.PlacementService;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** JSON API over runs and their routing metrics. */
@RestController
@RequestMapping("/api/runs")
class RunsController {

    static final String TOTAL_COUNT = "X-Total-Count";

    private final RunCatalog runs;
    private final MetricSuiteService metrics;
    private final PlacementService placement;

    RunsController(RunCatalog runs, MetricSuiteService metrics, PlacementService placement) {
        this.runs = runs;
        this.metrics = metrics;
        this.placement = placement;
    }

    /**
     * Runs the filters keep (the Runs view's: text, status, health), one page, sorted ({@code sort=tokens,desc});
     * newest first by default. The header {@code X-Total-Count} says how many runs the filters keep in all.
     */
    @GetMapping
    ResponseEntity<List<RunSummary>> runs(@RequestParam(defaultValue = "") String text,
                                          @RequestParam Optional<String> status, @RequestParam Optional<String> health,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "100") int size,
                                          @RequestParam Optional<String> sort) {
        RunListQuery query = RunListQuery.parse(text, status, health, page, size, sort);
        Page<RunSummary> found = runs.page(query.filter(), query.page());
        return ResponseEntity.ok().header(TOTAL_COUNT, Long.toString(found.getTotalElements()))
                .body(found.getContent());
    }

    @GetMapping("/{runId}")
    RunSummary run(@PathVariable String runId) {
        return runs.find(runId).orElseThrow(() -> unknownRun(runId));
    }

    /**
     * The metric suite over a token set: the run, narrowed by request, phase and [from, to) (ISO-8601 instants).
     * {@code layer} picks the layer of warm-up, co-activation and vocabulary; {@code tau} the dead-expert threshold,
     * {@code cache} the simulated cache size C, {@code window} the settling window in tokens. {@code computed} says
     * whether the answer is the run's stored suite and what data it covers.
     */
    @GetMapping("/{runId}/metrics")
    SuiteAnswer metrics(@PathVariable String runId, @RequestParam Optional<String> phase,
                        @RequestParam Optional<String> request, @RequestParam Optional<Instant> from,
                        @RequestParam Optional<Instant> to, @RequestParam Optional<Integer> layer,
                        @RequestParam(defaultValue = "" + SuiteOptions.DEFAULT_TAU) double tau,
                        @RequestParam Optional<Integer> cache,
                        @RequestParam(defaultValue = "" + SuiteOptions.DEFAULT_WINDOW) int window) {
        var set = new TokenSet(runId, request, phase.map(RunsController::parsePhase), from, to);
        var options = new SuiteOptions(optionalInt(layer), tau, optionalInt(cache), window);
        return metrics.suite(set, options).orElseThrow(() -> unknownRun(runId));
    }

    /** DeepSeek EPLB placement for the run's loads on {@code gpus} GPUs, with balancedness before and after. */
    @GetMapping("/{runId}/placement")
    PlacementAdvice placement(@PathVariable String runId, @RequestParam int gpus,
                              @RequestParam Optional<Integer> replicas, @RequestParam(defaultValue = "1") int groups,
                              @RequestParam(defaultValue = "1") int nodes, @RequestParam Optional<String> phase) {
        return placement.advise(runId, phase.map(RunsController::parsePhase), gpus, optionalInt(replicas), groups,
                nodes).orElseThrow(() -> unknownRun(runId));
    }

    private static OptionalInt optionalInt(Optional<Integer> value) {
        return value.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    static Phase parsePhase(String phase) {
        try {
            return Phase.ofLabel(phase);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "phase must be prefill, decode or unknown, not '" + phase + "'");
        }
    }

    static ResponseStatusException unknownRun(String runId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no run with id '" + runId + "'");
    }
}
