package io.moescope.platform.runs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run as the Runs list and {@code GET /api/runs} show it.
 *
 * @param tokensReported tokens the producer said it sent, in the run's end event (FINISHED or FAILED); null while
 *                  the run has none (running, or abandoned): no producer counts them before its end
 * @param tokens    tokens stored (prompt and generated); equal to tokensReported once everything arrived
 * @param decisions router decisions stored: tokens x MoE layers
 * @param requestsNotSeparable why the run's requests cannot be told apart (its sequence metrics are then
 *                  undefined); null when they can
 * @param responses a tap run's responses by outcome ({@code captured}, {@code passed_through}, {@code decode_failed},
 *                  {@code too_large}, {@code upstream_error}, {@code not_recorded} -> count), in that order (an
 *                  outcome a later tap adds follows, alphabetically): as the tap counted them when
 *                  it stopped, and while it runs the counts of its last progress report (its STARTED event
 *                  repeated every 10 s); null for runs that are not taps and for a live tap before its first report
 */
public record RunSummary(String runId, String name, String source, String status, String modelName,
                         String architecture, int numExperts, int topK, int numLayers, int numMoeLayers,
                         long totalParameters, long activeParameters, Instant startedAt, Instant finishedAt,
                         Long tokensReported,
                         long tokens, long decisions, Instant lastRoutedAt, String requestsNotSeparable,
                         Map<String, Long> responses) {

    /**
     * The tap's outcomes in the order it counts them (its {@code Outcome}s, which the platform does not depend on):
     * jsonb keeps no order, so the summary restores it; an outcome a later tap adds follows, alphabetically.
     */
    public static final List<String> OUTCOMES = List.of("captured", "passed_through", "decode_failed", "too_large",
            "upstream_error", "not_recorded");

    public RunSummary {
        responses = responses == null ? null : ordered(responses);
    }

    private static Map<String, Long> ordered(Map<String, Long> responses) {
        var ordered = new LinkedHashMap<String, Long>();
        OUTCOMES.stream().filter(responses::containsKey).forEach(outcome -> ordered.put(outcome,
                responses.get(outcome)));
        new TreeMap<>(responses).forEach(ordered::putIfAbsent);
        return Collections.unmodifiableMap(ordered);
    }

    /** Property names the list can be sorted by (JPA attribute names of the overview). */
    public static final java.util.Set<String> SORTABLE = java.util.Set.of("name", "architecture", "status",
            "startedAt", "tokens", "decisions", "numExperts", "topK");
}
