package io.moescope.probe.run;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.RunWorkload;
import java.nio.file.Path;
import java.util.List;

/** Turns a recorded {@link RunWorkload} back into a {@link ProbeRequest}: same prompts, same generation parameters. */
public final class WorkloadRerun {

    private WorkloadRerun() {
    }

    /**
     * @param modelDir    the model to run the prompts through (may differ from the recorded one)
     * @param expertCache experts per layer resident under offloading; 0 = all resident
     */
    public static ProbeRequest request(RunWorkload workload, Path modelDir, String runName, int expertCache,
                                       CachePolicy cachePolicy) {
        RunWorkload.Generation g = workload.generation();
        List<Prompt> prompts = workload.requests().stream().map(r -> new Prompt(r.requestId(), r.text(),
                r.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList())).toList();
        return new ProbeRequest(modelDir, prompts, g.maxNewTokens(), runName, expertCache, cachePolicy,
                new Sampling(g.temperature(), g.topP(), g.seed()));
    }
}
