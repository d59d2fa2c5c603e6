package io.moescope.probe.run;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunWorkload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Collects what a probe run was asked to do (prompts, generation parameters, when each request was taken up) into a
 * {@link RunWorkload}, so that {@code moescope replay --model} can run the same workload again, with the text of
 * every token the run routed, for the dashboard's token view.
 */
final class WorkloadRecorder {

    private final ProbeRequest request;
    private final ModelIdentity model;
    private final int eosTokenId;
    private final Long[] arrivals;
    private final TokenTexts texts;
    /** Every token id the run routed, prompt and generated: the workload carries their texts. */
    private final Set<Integer> usedIds = new HashSet<>();

    WorkloadRecorder(ProbeRequest request, ModelIdentity model, int eosTokenId, TokenTexts texts) {
        this.request = request;
        this.model = model;
        this.eosTokenId = eosTokenId;
        this.arrivals = new Long[request.prompts().size()];
        this.texts = texts;
    }

    /** The run routed a token with this id. */
    void used(int tokenId) {
        usedIds.add(tokenId);
    }

    /** The engine took up the {@code index}-th request at {@code micros}. */
    void arrived(int index, long micros) {
        arrivals[index] = micros;
    }

    RunWorkload workload(String runId) {
        Sampling sampling = request.sampling();
        var generation = new RunWorkload.Generation(request.maxNewTokens(), sampling.temperature(), sampling.topP(),
                sampling.seed(), List.of(eosTokenId), request.expertCache(), request.cachePolicy().name());
        var requests = new ArrayList<RunWorkload.Request>(arrivals.length);
        for (int i = 0; i < arrivals.length; i++) {
            Prompt prompt = request.prompts().get(i);
            List<RunWorkload.Message> messages = prompt.messages().stream()
                    .map(m -> new RunWorkload.Message(m.role(), m.content())).toList();
            requests.add(new RunWorkload.Request(prompt.requestId(), prompt.text(), messages,
                    arrivals[i] == null ? OptionalLong.empty() : OptionalLong.of(arrivals[i])));
        }
        return new RunWorkload(runId, model, request.modelDir().toAbsolutePath().toString(), generation, requests,
                texts.of(usedIds));
    }
}
