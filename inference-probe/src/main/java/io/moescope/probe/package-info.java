/**
 * Runs Mixture-of-Experts decoders from HF checkpoints on DJL (PyTorch engine) and captures every router decision.
 *
 * <ul>
 *   <li>{@code checkpoint}: config.json, safetensors reading/writing, validation, parameter counts</li>
 *   <li>{@code demo}: a small seeded (untrained) Mixtral checkpoint with a byte-level tokenizer</li>
 *   <li>{@code model}: one MoE decoder (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE, gpt-oss, DeepSeek-V2/V3) with KV cache
 *   and per-layer routing capture</li>
 *   <li>{@code run}: {@link io.moescope.probe.run.ProbeRunner}, prompts in, routing events out to a
 *   {@link io.moescope.traces.RoutingSink} (the Kafka delivery lives in the {@code traces} module)</li>
 * </ul>
 *
 * <p>Engine threads: DJL reads {@code ai.djl.pytorch.num_threads} once at engine start; {@code EngineThreads} changes
 * the count later. For small models (the demo) one thread is much faster than several, because tiny ops pay OpenMP's
 * synchronisation; {@code IntraOpThreads} chooses the probe's count from the machine and the model.
 */
package io.moescope.probe;
