package io.moescope.traces.engine;

import io.moescope.traces.model.ModelConfig;

/**
 * What decoding one engine response needs besides its body.
 *
 * @param rowOffset  the request's {@code routed_experts_prompt_start} (vLLM) or {@code routed_experts_start_len}
 *                   (SGLang): leading rows the engine left out; null to take it from the response, else 0
 * @param config     the served model's config (layer axis, dense layers), or null when unknown
 * @param topK       ids per layer when there is no config (SGLang's raw bytes carry no shape), or null
 * @param fallbackId the request id when the response names none (e.g. {@code line-7})
 */
public record ResponseContext(Integer rowOffset, ModelConfig config, Integer topK, String fallbackId) {
}
