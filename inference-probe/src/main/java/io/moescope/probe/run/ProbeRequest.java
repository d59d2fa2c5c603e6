package io.moescope.probe.run;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.model.Offloading;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What to run.
 *
 * @param modelDir     HF checkpoint directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json})
 * @param prompts      the requests, run one after another; request ids must be distinct
 * @param maxNewTokens generation stops after this many generated tokens (or at end-of-sequence); 0 = prefill only
 * @param runName      the name users see for the run
 * @param expertCache  experts per layer kept on the engine with offloading; 0 = all resident (no offloading)
 * @param cachePolicy  eviction policy when offloading; a live one ({@link Offloading#LIVE_POLICIES})
 * @param sampling     greedy, or temperature / top-p with a seed
 */
public record ProbeRequest(Path modelDir, List<Prompt> prompts, int maxNewTokens, String runName, int expertCache,
                           CachePolicy cachePolicy, Sampling sampling) {

    /** Greedy decoding, all experts resident. */
    public ProbeRequest(Path modelDir, List<Prompt> prompts, int maxNewTokens, String runName) {
        this(modelDir, prompts, maxNewTokens, runName, 0, CachePolicy.LRU);
    }

    /** Greedy decoding. */
    public ProbeRequest(Path modelDir, List<Prompt> prompts, int maxNewTokens, String runName, int expertCache,
                        CachePolicy cachePolicy) {
        this(modelDir, prompts, maxNewTokens, runName, expertCache, cachePolicy, Sampling.GREEDY);
    }

    public ProbeRequest {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(runName, "runName");
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a probe run needs at least one prompt");
        }
        Objects.requireNonNull(cachePolicy, "cachePolicy");
        Offloading.requireLive(cachePolicy);
        Objects.requireNonNull(sampling, "sampling");
        if (expertCache < 0) {
            throw new IllegalArgumentException("expertCache must be >= 0 but was " + expertCache);
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0 but was " + maxNewTokens);
        }
        var ids = new HashSet<String>();
        for (Prompt prompt : prompts) {
            if (!ids.add(prompt.requestId())) {
                throw new IllegalArgumentException("request id " + prompt.requestId() + " appears twice");
            }
        }
    }
}
