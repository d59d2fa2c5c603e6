package io.moescope.platform.runs;

import java.time.Instant;

/**
 * A run as the Runs list and {@code GET /api/runs} show it.
 *
 * @param tokensReported tokens the producer said it sent (known once the run finished)
 * @param tokens    tokens stored (prompt and generated); equal to tokensReported once everything arrived
 * @param decisions router decisions stored: tokens x MoE layers
 * @param requestsNotSeparable why the run's requests cannot be told apart (its sequence metrics are then
 *                  undefined); null when they can
 */
public record RunSummary(String runId, String name, String source, String status, String modelName,
                         String architecture, int numExperts, int topK, int numLayers, int numMoeLayers,
                         long totalParameters, long activeParameters, Instant startedAt, Instant finishedAt,
                         long tokensReported,
                         long tokens, long decisions, Instant lastRoutedAt, String requestsNotSeparable) {

    /** Property names the list can be sorted by (JPA attribute names of the overview). */
    public static final java.util.Set<String> SORTABLE = java.util.Set.of("name", "architecture", "status",
            "startedAt", "tokens", "decisions", "numExperts", "topK");
}
