package io.moescope.probe.run;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.RunWorkload;
import io.moescope.events.TokenRouting;
import io.moescope.events.WorkloadCodec;
import io.moescope.events.WorkloadLimit;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Offloading;
import io.moescope.traces.RoutingSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs prompts through an MoE checkpoint and sends the routing of every token to a {@link RoutingSink}.
 *
 * <p>Everything that can be checked up front is checked before the first event: the checkpoint (every tensor), the
 * tokenizer, the prompts' token ids and the size of the workload the run will record ({@link WorkloadLimit}). So a
 * {@link io.moescope.probe.checkpoint.CheckpointException} or a workload over the limit means no event was sent. A
 * failure after STARTED sends a FAILED lifecycle event before it propagates.
 */
public final class ProbeRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
    private static final String SOURCE = "probe";

    private final Clock clock;
    private final WorkloadLimit workloadLimit;
    private final WorkloadCodec workloadCodec = new WorkloadCodec();

    public ProbeRunner(Clock clock) {
        this(clock, WorkloadLimit.DEFAULT);
    }

    /** {@code workloadLimit}: the largest recorded workload a run may send, checked before generation starts. */
    public ProbeRunner(Clock clock, WorkloadLimit workloadLimit) {
        this.clock = clock;
        this.workloadLimit = workloadLimit;
    }

    /** Runs the request; the sink is not closed (its creator closes it and sees its errors then). */
    public ProbeResult run(ProbeRequest request, RoutingSink sink, ProbeListener listener) {
        try (Session session = open(request)) {
            return session.run(sink, listener);
        }
    }

    /**
     * Runs the request with capture off, the baseline of a capture overhead measurement: the same tokens as
     * {@link #run}, but per token nothing beyond generation (no entropy, no event, no sink call, so no
     * {@link ProbeListener#tokenRouted}); the run's few lifecycle events are built and dropped. Step timings are
     * reported as usual.
     */
    public ProbeResult runWithoutCapture(ProbeRequest request, ProbeListener listener) {
        try (Session session = open(request)) {
            return session.runWithoutCapture(listener);
        }
    }

    /**
     * Loads the request's checkpoint, tokenizer and prompts once, for several runs of the same request: the capture
     * bench alternates capture off and on over one loaded model, so that both see the same weights at the same
     * addresses (a model loaded afresh for every round moved decode time by more than capture costs).
     */
    public Session open(ProbeRequest request) {
        return new Session(request);
    }

    /** A loaded request; each run is a new run id. Not thread-safe; close it to free the model. */
    public final class Session implements AutoCloseable {

        private final ProbeRequest request;
        private final MoeCheckpoint checkpoint;
        private final PromptTokenizer tokenizer;
        // Read from tokenizer.json once per session, not per run: a real vocabulary is megabytes of JSON.
        private final TokenTexts texts;
        private final List<int[]> promptIds = new ArrayList<>();
        private final MoeModel moe;
        // The offloading callback is bound at load time; each run points it at its own events.
        private CacheEvents cacheEvents;

        private Session(ProbeRequest request) {
            this.request = request;
            checkpoint = MoeCheckpoint.open(request.modelDir());
            try {
                tokenizer = PromptTokenizer.open(checkpoint.tokenizerFile());
                texts = TokenTexts.of(tokenizer, checkpoint.tokenizerFile());
                ChatTemplate template = ChatTemplate.of(request.modelDir());
                for (Prompt prompt : request.prompts()) {
                    String text = prompt.isChat() ? template.render(prompt.messages()) : prompt.text();
                    promptIds.add(encode(tokenizer, prompt, text, checkpoint.config()));
                }
                moe = request.expertCache() > 0
                        ? MoeModel.load(checkpoint, new Offloading(request.expertCache(), request.cachePolicy(),
                                access -> cacheEvents.access(access)))
                        : MoeModel.load(checkpoint);
            } catch (RuntimeException e) {
                closeQuietly(e);
                throw e;
            }
        }

        /** The loaded checkpoint's identity: architecture, experts, k, layers, parameter counts. */
        public ModelIdentity model() {
            return checkpoint.identity();
        }

        public ProbeResult run(RoutingSink sink, ProbeListener listener) {
            return run(sink, listener, StepCapture.ALL);
        }

        /** See {@link ProbeRunner#runWithoutCapture}. */
        public ProbeResult runWithoutCapture(ProbeListener listener) {
            return run(DISCARD, listener, StepCapture.NONE);
        }

        /**
         * Captures every other decode step of each request ({@link StepCapture#alternating}) and no prefill: the
         * capture bench compares each captured step with its uncaptured neighbour. The sink gets the run's
         * lifecycle and workload events and a token event for each captured step only (the workload's token texts
         * are those of the captured tokens); the tokens generated are those of {@link #run}.
         *
         * @param firstDecodeStep whether each request's first decode step is captured (else its second)
         */
        public ProbeResult runAlternatingCapture(RoutingSink sink, ProbeListener listener, boolean firstDecodeStep) {
            return run(sink, listener, StepCapture.alternating(firstDecodeStep));
        }

        private ProbeResult run(RoutingSink sink, ProbeListener listener, StepCapture capture) {
            ModelIdentity model = model();
            String runId = UUID.randomUUID().toString();
            if (!capture.equals(StepCapture.NONE)) {
                requireWorkloadWithinLimit(runId, recorder(model));
            }
            cacheEvents = new CacheEvents(runId, request, sink);
            listener.modelLoaded(model);
            CacheEvents events = cacheEvents;
            RequestGenerator.StepObserver observer = (requestId, first, tokens, at, nanos) -> {
                events.stepDone(requestId, first, tokens, at, nanos);
                listener.stepTimed(requestId, first == 0 ? Phase.PREFILL : Phase.DECODE, tokens, nanos);
            };
            return generate(runId, request, model, new RequestGenerator(moe, clock, observer, capture), tokenizer,
                    promptIds, sink, listener, recorder(model));
        }

        private WorkloadRecorder recorder(ModelIdentity model) {
            return new WorkloadRecorder(request, model, checkpoint.config().eosTokenId(), texts);
        }

        /**
         * Refuses a run whose workload is already too large before generation (prompts and their tokens' texts are
         * known now; generated tokens add only the texts of ids the prompts did not use), so that a large prompt
         * file fails at once, not after hours of generation with its workload refused at the end.
         */
        private void requireWorkloadWithinLimit(String runId, WorkloadRecorder recorder) {
            // The prompts' tokens are all routed, so their texts are in the workload whatever is generated.
            for (int[] ids : promptIds) {
                for (int id : ids) {
                    recorder.used(id);
                }
            }
            RunWorkload workload = recorder.workload(runId);
            workloadLimit.require(workload, workloadCodec.encode(workload).length);
        }

        @Override
        public void close() {
            try {
                moe.close();
            } finally {
                try {
                    tokenizer.close();
                } finally {
                    checkpoint.close();
                }
            }
        }

        private void closeQuietly(RuntimeException cause) {
            for (AutoCloseable open : new AutoCloseable[] {tokenizer, checkpoint}) {
                try {
                    if (open != null) {
                        open.close();
                    }
                } catch (Exception e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    private ProbeResult generate(String runId, ProbeRequest request, ModelIdentity model, RequestGenerator generator,
                                 PromptTokenizer tokenizer, List<int[]> promptIds, RoutingSink sink,
                                 ProbeListener listener, WorkloadRecorder recorder) {
        Instant started = clock.instant();
        sink.runStarted(lifecycle(runId, request, RunStatus.STARTED, started, model, 0));
        long promptTokens = 0;
        long generatedTokens = 0;
        // Tokens the sink accepted, so that a FAILED event says how far the run got.
        var routed = new AtomicLong();
        try {
            for (int i = 0; i < request.prompts().size(); i++) {
                Prompt prompt = request.prompts().get(i);
                recorder.arrived(i, RequestGenerator.micros(clock.instant()));
                RequestGenerator.Outcome outcome = generator.generate(runId, prompt.requestId(), promptIds.get(i),
                        request.maxNewTokens(), request.sampling(), token -> {
                            sink.token(token);
                            routed.incrementAndGet();
                            recorder.used(token.tokenId());
                            listener.tokenRouted(token);
                        });
                promptTokens += outcome.promptTokens();
                generatedTokens += outcome.generated().size();
                listener.requestFinished(prompt.requestId(), outcome.promptTokens(), outcome.generated().size());
                listener.completion(prompt.requestId(), tokenizer.decode(outcome.generated()));
            }
        } catch (RuntimeException e) {
            failed(runId, request, model, routed.get(), sink, e, recorder);
            throw e;
        }
        Instant finished;
        long tokens = promptTokens + generatedTokens;
        try {
            sink.workload(recorder.workload(runId));
        } finally {
            // Also when the workload is refused (too large): the routing was sent, the run itself is complete.
            finished = clock.instant();
            sink.runFinished(lifecycle(runId, request, RunStatus.FINISHED, finished, model, tokens));
        }
        var result = new ProbeResult(runId, model, promptTokens, generatedTokens,
                tokens * model.moeLayers().size(), Duration.between(started, finished));
        LOG.info("run {} ({}): {} prompt + {} generated tokens, {} decisions in {} ms ({} tokens/s)", runId,
                request.runName(), promptTokens, generatedTokens, result.decisions(), result.elapsed().toMillis(),
                String.format("%.1f", result.tokensPerSecond()));
        return result;
    }

    private void failed(String runId, ProbeRequest request, ModelIdentity model, long tokens, RoutingSink sink,
                        RuntimeException cause, WorkloadRecorder recorder) {
        try {
            // Recorded also for a failed run: its prompts can be tried again on a model that does not fail.
            sink.workload(recorder.workload(runId));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            sink.runFinished(lifecycle(runId, request, RunStatus.FAILED, clock.instant(), model, tokens));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Where a run without capture sends its lifecycle and workload events: nowhere. */
    private static final RoutingSink DISCARD = new RoutingSink() {
        @Override
        public void runStarted(RunLifecycle run) {
        }

        @Override
        public void token(TokenRouting token) {
            throw new IllegalStateException("a run without capture emitted a token event");
        }

        @Override
        public void runFinished(RunLifecycle run) {
        }

        @Override
        public void close() {
        }
    };

    private static int[] encode(PromptTokenizer tokenizer, Prompt prompt, String text, MoeConfig config) {
        int vocabSize = config.vocabSize();
        int[] ids = tokenizer.encode(text);
        if (ids.length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("request " + prompt.requestId() + " has " + ids.length
                    + " tokens, more than the model's max_position_embeddings " + config.maxPositionEmbeddings());
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("request " + prompt.requestId() + " has no tokens; the tokenizer "
                    + "adds no BOS and the prompt is empty");
        }
        for (int id : ids) {
            if (id >= vocabSize) {
                throw new IllegalArgumentException("request " + prompt.requestId() + ": the tokenizer produced id "
                        + id + " but the model's vocabulary has " + vocabSize + " entries");
            }
        }
        return ids;
    }

    private static RunLifecycle lifecycle(String runId, ProbeRequest request, RunStatus status, Instant at,
                                          ModelIdentity model, long tokens) {
        return new RunLifecycle(runId, request.runName(), status, RequestGenerator.micros(at), SOURCE, model,
                tokens);
    }
}
