package io.moescope.platform.metrics;

import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.List;

/**
 * Load metrics of every MoE layer of a run over one token set.
 *
 * @param runId      the run
 * @param tokenSet   which tokens the figures cover, in words (docs/metrics.md asks every figure to say so)
 * @param numExperts N
 * @param topK       k
 * @param layers     one entry per MoE layer that has routed tokens, in layer order
 */
public record RunMetrics(String runId, String tokenSet, int numExperts, int topK, List<LayerLoadMetrics> layers) {
}
