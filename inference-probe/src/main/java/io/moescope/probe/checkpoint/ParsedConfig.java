package io.moescope.probe.checkpoint;

import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.routing.RouterRule;

/**
 * One {@code config.json} parsed once, in the three views a load needs: the probe's settings, traces' view of the
 * same file (for the parameter counts) and the router rule built from it (for DeepSeek it is also
 * {@link DeepseekConfig#router()}, the same object).
 */
record ParsedConfig(MoeConfig config, ModelConfig model, RouterRule router) {
}
